import { z } from 'zod';

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment once; start-up fails listing every bad key, not just the first. */
export function parseConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`));
  }
  return result.data;
}

export const port = (fallback: number) => z.coerce.number().int().min(0).max(65535).default(fallback);

export const baseConfigShape = {
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATABASE_URL: z.url().default('postgres://postgres@127.0.0.1:5432/esc'),
  REDIS_URL: z.url().default('redis://127.0.0.1:6379'),
  JWKS_URL: z.url().default('http://127.0.0.1:4000/.well-known/jwks.json'),
  JWT_ISSUER: z.string().min(1).default('esc-gateway'),
  JWT_AUDIENCE: z.string().min(1).default('esc-marketplace'),
  /** BullMQ key prefix; tests give each file its own so their jobs never meet. */
  QUEUE_PREFIX: z.string().regex(/^[\w{}-]{1,64}$/).default('bull'),
  /** Hot-path transactions as one pipeline (on) or as ordinary BEGIN … COMMIT (off); see withPipelinedTransaction. */
  SQL_PIPELINING: z.enum(['on', 'off']).default('on'),
  BODY_LIMIT: z.string().regex(/^\d+(kb|mb)$/i, 'a size such as 5mb').default('5mb'),
};
