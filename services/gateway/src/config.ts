import path from 'node:path';
import { z } from 'zod';
import { baseConfigShape, parseConfig, port } from '@esc/service-kit';
import { DEFAULT_SERVICE_CLIENTS, serviceClientsSchema } from './domain/service-clients';

const repoRoot = path.resolve(__dirname, '../../..');
export const DEFAULT_PRIVATE_KEY_FILE = path.join(repoRoot, 'infra/.keys/gateway-signing.pem');
export const DEFAULT_WEB_DIST_DIR = path.join(repoRoot, 'services/web/dist');
const DEFAULT_DEMO_PASSWORD = 'demo';
/** The development ЕСИА's client secret (services/esia-dev): public, so production must bring its own. */
export const DEV_OIDC_CLIENT_SECRET = 'dev-oidc-secret-esc-gateway';
const flag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** Express's `trust proxy`: false, true, a hop count, or addresses/subnets (`loopback, 10.0.0.0/8`). */
const trustProxy = z
  .string()
  .trim()
  .min(1)
  .transform((text): boolean | number | string => {
    if (/^(true|false)$/i.test(text)) return text.toLowerCase() === 'true';
    if (/^\d+$/.test(text)) return Number(text);
    return text;
  });

const serviceUrl = (port: number) => z.url({ protocol: /^https?$/ }).default(`http://127.0.0.1:${port}`);

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
    REDIS_URL: baseConfigShape.REDIS_URL,
    JWT_ISSUER: baseConfigShape.JWT_ISSUER,
    JWT_AUDIENCE: baseConfigShape.JWT_AUDIENCE,
    PORT: port(4000),
    QUEUE_PREFIX: baseConfigShape.QUEUE_PREFIX,
    /** The queues /admin/queues shows: every service's (their names are in each service's config). */
    DASHBOARD_QUEUES: z
      .string()
      .default('certificates-jobs,certificates-inbox,ledger-jobs,registry-inbox,registry-events,settlement-inbox,settlement-jobs,notifications-inbox')
      .transform((text) => text.split(',').map((name) => name.trim()).filter(Boolean))
      .pipe(z.array(z.string().regex(/^[\w-]{1,64}$/))),
    JWT_PRIVATE_KEY_FILE: z.string().min(1).default(DEFAULT_PRIVATE_KEY_FILE),
    TOKEN_TTL_SECONDS: z.coerce.number().int().min(60).max(86_400).default(3600),
    DEMO_SIGN_IN: z.stringbool().optional(),
    DEMO_PASSWORD: z.string().min(1).optional(),
    SERVICE_CLIENTS: serviceClientsJson.optional(),
    /** Web sessions (the SPA's cookie): their Redis key prefix; they end after this long without a request, and this long after sign-in whatever happens. */
    SESSION_PREFIX: z.string().regex(/^[\w:{}.-]{1,64}$/).default('esc:session:'),
    SESSION_IDLE_SECONDS: z.coerce.number().int().min(1).max(86_400).default(1800),
    SESSION_ABSOLUTE_SECONDS: z.coerce.number().int().min(1).max(7 * 86_400).default(43_200),
    /** The tokens a web session sends to the services: short, minted again from the session as they run out. */
    SESSION_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(300),
    /**
     * The identity provider (OpenID Connect): its issuer or discovery URL (ЕСИА's in production, the
     * development ЕСИА of services/esia-dev otherwise). Unset, people cannot sign in to the web app
     * (only the development token endpoints work), and the gateway opens no database.
     */
    OIDC_DISCOVERY_URL: z.url({ protocol: /^https?$/ }).optional(),
    OIDC_CLIENT_ID: z.string().min(1).max(200).default('esc-gateway'),
    OIDC_CLIENT_SECRET: z.string().min(8).default(DEV_OIDC_CLIENT_SECRET),
    OIDC_SCOPE: z.string().min(6).default('openid fullname birthdate snils org'),
    /** Where the identity provider sends people back; by default `<origin>/api/auth/callback`. */
    OIDC_REDIRECT_URI: z.url({ protocol: /^https?$/ }).optional(),
    /** The accounts database (schema `gateway`), used when OIDC_DISCOVERY_URL is set. */
    DATABASE_URL: baseConfigShape.DATABASE_URL,
    DB_POOL_MAX: z.coerce.number().int().min(2).max(100).default(5),
    RUN_MIGRATIONS: flag.default(true),
    /** The SMTP server staff invitations are sent through (`smtp://host:port`); unset, the admin gets the link to send. */
    SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
    MAIL_FROM: z.string().min(3).default('Маркетплейс социальных сертификатов <noreply@esc.local>'),
    /** Sign-in attempts (login and callback) allowed per client address and per account within RATE_LIMIT_WINDOW_SECONDS. */
    RATE_LIMIT_PER_ADDRESS: z.coerce.number().int().min(1).max(100_000).default(30),
    RATE_LIMIT_PER_ACCOUNT: z.coerce.number().int().min(1).max(100_000).default(10),
    RATE_LIMIT_WINDOW_SECONDS: z.coerce.number().int().min(1).max(86_400).default(600),
    TRUST_PROXY: trustProxy.default(false),
    /** The origin the browser sees (`https://esc.example.ru`); when unset, the request's own scheme and Host. */
    PUBLIC_ORIGIN: z
      .url({ protocol: /^https?$/ })
      .transform((url) => new URL(url).origin)
      .optional(),
    WEB_DIST_DIR: z.string().min(1).default(DEFAULT_WEB_DIST_DIR),
    LEDGER_URL: serviceUrl(4001),
    REGISTRY_URL: serviceUrl(4002),
    CERTIFICATES_URL: serviceUrl(4003),
    SETTLEMENT_URL: serviceUrl(4004),
    NOTIFICATIONS_URL: serviceUrl(4005),
    /** How long a proxied service may stay silent before the gateway gives up on it. */
    PROXY_TIMEOUT_MS: z.coerce.number().int().min(1000).max(600_000).default(120_000),
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
    if (!env.OIDC_DISCOVERY_URL) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_DISCOVERY_URL'], message: 'required in production: people sign in through the identity provider (ЕСИА)' });
    } else if (!env.OIDC_DISCOVERY_URL.startsWith('https:')) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_DISCOVERY_URL'], message: 'must be https in production' });
    }
    if (env.OIDC_CLIENT_SECRET === DEV_OIDC_CLIENT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['OIDC_CLIENT_SECRET'], message: 'the development secret is public; set the one the identity provider issued' });
    }
    if (env.JWT_PRIVATE_KEY_FILE === DEFAULT_PRIVATE_KEY_FILE) {
      ctx.addIssue({ code: 'custom', path: ['JWT_PRIVATE_KEY_FILE'], message: 'the development key file is made on first start; give the production signing key explicitly' });
    }
  })
  .transform((env) => ({
    ...env,
    JWT_PRIVATE_KEY_FILE: path.resolve(env.JWT_PRIVATE_KEY_FILE),
    WEB_DIST_DIR: path.resolve(env.WEB_DIST_DIR),
    DEMO_SIGN_IN: env.DEMO_SIGN_IN ?? env.NODE_ENV !== 'production',
    DEMO_PASSWORD: env.DEMO_PASSWORD ?? DEFAULT_DEMO_PASSWORD,
    SERVICE_CLIENTS: env.SERVICE_CLIENTS ?? DEFAULT_SERVICE_CLIENTS,
  }));

export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  return parseConfig(gatewayConfigSchema, env);
}
