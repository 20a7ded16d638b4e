import path from 'node:path';
import { z } from 'zod';
import { baseConfigShape, parseConfig, port } from '@esc/service-kit';
import { DEFAULT_SERVICE_CLIENTS, serviceClientsSchema } from './domain/service-clients';

const repoRoot = path.resolve(__dirname, '../../..');
export const DEFAULT_PRIVATE_KEY_FILE = path.join(repoRoot, 'infra/.keys/gateway-signing.pem');
const DEFAULT_DEMO_PASSWORD = 'demo';

const serviceClientsJson = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `not valid JSON (${(err as Error).message})` });
      return z.NEVER;
    }
  })
  .pipe(serviceClientsSchema);

export const gatewayConfigSchema = z
  .object({
    NODE_ENV: baseConfigShape.NODE_ENV,
    LOG_LEVEL: baseConfigShape.LOG_LEVEL,
    BODY_LIMIT: baseConfigShape.BODY_LIMIT,
    JWT_ISSUER: baseConfigShape.JWT_ISSUER,
    JWT_AUDIENCE: baseConfigShape.JWT_AUDIENCE,
    PORT: port(4000),
    JWT_PRIVATE_KEY_FILE: z.string().min(1).default(DEFAULT_PRIVATE_KEY_FILE),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
    DEMO_SIGN_IN: z.stringbool().optional(),
    DEMO_PASSWORD: z.string().min(1).optional(),
    SERVICE_CLIENTS: serviceClientsJson.optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    // The dev client secrets and the demo password are in the repository, so production must bring its own.
    if (!env.SERVICE_CLIENTS) {
      ctx.addIssue({ code: 'custom', path: ['SERVICE_CLIENTS'], message: 'required in production (the dev secrets are public)' });
    }
    if (env.DEMO_SIGN_IN && (env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD) === DEFAULT_DEMO_PASSWORD) {
      ctx.addIssue({ code: 'custom', path: ['DEMO_PASSWORD'], message: 'set a non-default password to enable demo sign-in in production' });
    }
  })
  .transform((env) => ({
    ...env,
    JWT_PRIVATE_KEY_FILE: path.resolve(env.JWT_PRIVATE_KEY_FILE),
    DEMO_SIGN_IN: env.DEMO_SIGN_IN ?? env.NODE_ENV !== 'production',
    DEMO_PASSWORD: env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD,
    SERVICE_CLIENTS: env.SERVICE_CLIENTS ?? DEFAULT_SERVICE_CLIENTS,
  }));

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return parseConfig(gatewayConfigSchema, env);
}
