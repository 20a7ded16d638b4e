import { z } from 'zod';
import { ConfigError, baseConfigShape, parseConfig, port } from '../src';

const schema = z.object({
  ...baseConfigShape,
  PORT: port(4100),
  JOBS_ENABLED: z
    .enum(['true', 'false'])
    .default('true')
    .transform((value) => value === 'true'),
});

function configErrorFrom(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('When several keys are bad, then the ConfigError lists every one of them, not just the first', () => {
    const error = configErrorFrom(() =>
      parseConfig(schema, {
        LOG_LEVEL: 'loud',
        DATABASE_URL: 'not a url',
        PORT: '99999',
        QUEUE_PREFIX: 'has spaces and :colons',
        BODY_LIMIT: 'huge',
        JOBS_ENABLED: 'yes',
        SQL_PIPELINING: 'sometimes',
        JWT_ISSUER: 'esc-gateway',
      }),
    );

    expect(error.name).toBe('ConfigError');
    const badKeys = error.problems.map((problem) => problem.split(':')[0]);
    expect(badKeys.sort()).toEqual(['BODY_LIMIT', 'DATABASE_URL', 'JOBS_ENABLED', 'LOG_LEVEL', 'PORT', 'QUEUE_PREFIX', 'SQL_PIPELINING']);
    for (const key of badKeys) expect(error.message).toContain(`  - ${key}: `);
    expect(error.message).toMatch(/^Invalid configuration:\n/);
    expect(error.problems.find((p) => p.startsWith('BODY_LIMIT'))).toContain('a size such as 5mb');
  });

  it('When nothing is set, then every default applies', () => {
    expect(parseConfig(schema, {})).toEqual({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/esc',
      REDIS_URL: 'redis://127.0.0.1:6379',
      JWKS_URL: 'http://127.0.0.1:4000/.well-known/jwks.json',
      JWT_ISSUER: 'esc-gateway',
      JWT_AUDIENCE: 'esc-marketplace',
      QUEUE_PREFIX: 'bull',
      SQL_PIPELINING: 'on',
      BODY_LIMIT: '5mb',
      PORT: 4100,
      JOBS_ENABLED: true,
    });
  });

  it('When values are given as environment strings, then they are coerced and unknown keys are dropped', () => {
    const config = parseConfig(schema, { PORT: '0', JOBS_ENABLED: 'false', LOG_LEVEL: 'silent', QUEUE_PREFIX: 'test-{ab12}', HOME: '/root' });
    expect(config.PORT).toBe(0);
    expect(config.JOBS_ENABLED).toBe(false);
    expect(config.LOG_LEVEL).toBe('silent');
    expect(config.QUEUE_PREFIX).toBe('test-{ab12}');
    expect(config).not.toHaveProperty('HOME');
  });

  it('When the environment is not an object at all, then the problem is reported against the root', () => {
    const error = configErrorFrom(() => parseConfig(schema, 'nonsense' as unknown as NodeJS.ProcessEnv));
    expect(error.problems).toEqual([expect.stringMatching(/^\(root\): /)]);
  });
});
