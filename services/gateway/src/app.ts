import type { Server } from 'node:http';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import type { MikroORM } from '@mikro-orm/postgresql';
import { closeHttpServer, createHttpApp, createLocalJwtVerifier, createLogger, createOrm, healthRouter, listen, migrate, serviceMetrics, smtpMailer, sqlOf, type Logger } from '@esc/service-kit';
import { adminRouter } from './api/admin-routes';
import { oidcRouter } from './api/oidc-routes';
import { onboardingRouter } from './api/onboarding-routes';
import { oidcIdentityProvider } from './clients/oidc-client';
import { registryClient } from './clients/registry-client';

import { migrations } from './data-access/migrations';
import { redisSignInLimiter } from './data-access/rate-limiter';
import { GATEWAY_SCHEMA } from './data-access/schema';
import { seedDemoAccounts } from './domain/accounts';
import { authRouter, SERVICE_TOKEN_PATH } from './api/auth-routes';
import { jwksRouter } from './api/jwks-routes';
import { meRouter } from './api/me-routes';
import { queueDashboard } from './api/queue-dashboard';
import { securityHeaders } from './api/security-headers';
import { serviceProxy } from './api/service-proxy';
import { sessionGuard } from './api/session-guard';
import { sessionRouter } from './api/session-routes';
import { webAppRouter } from './api/web-app';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { RedisSessionStore } from './data-access/session-store';
import { AuthService } from './domain/auth';
import type { AccountsDeps, Deps } from './domain/context';
import { DEMO_SNILS, DEMO_USERS } from './domain/demo-users';
import { ServiceClientRegistry } from './domain/service-clients';
import { DemoSignIn } from './domain/session-sign-in';
import { SessionService } from './domain/sessions';
import { userOfAccount } from './domain/web-sessions';
import { loadOrCreateSigningKey } from './domain/signing-key';
import { TokenIssuer } from './domain/token-issuer';

/** How long a started sign-in waits for its callback. */
const LOGIN_TTL_SECONDS = 600;

export interface Gateway {
  app: Express;
  config: GatewayConfig;
  logger: Logger;
  start(port?: number): Promise<{ url: string }>;
  stop(): Promise<void>;
}

export async function createGateway(overrides: Partial<GatewayConfig> = {}): Promise<Gateway> {
  const config: GatewayConfig = { ...loadGatewayConfig(), ...overrides };
  const logger = createLogger('gateway', config.LOG_LEVEL);
  const signingKey = await loadOrCreateSigningKey(config.JWT_PRIVATE_KEY_FILE, logger);
  const issuer = new TokenIssuer({ key: signingKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: config.TOKEN_TTL_SECONDS });
  const auth = new AuthService({
    issuer,
    users: DEMO_USERS,
    clients: new ServiceClientRegistry(config.SERVICE_CLIENTS),
    demoSignIn: config.DEMO_SIGN_IN,
    demoPassword: config.DEMO_PASSWORD,
  });

  // The gateway holds the key it signs with, so it checks its own tokens without fetching its JWKS.
  const verifier = createLocalJwtVerifier({
    publicKey: signingKey.privateKey,
    kid: signingKey.kid,
    issuer: config.JWT_ISSUER,
    audience: config.JWT_AUDIENCE,
  });

  // Connected on the first web-session request, so token endpoints and tests that never use sessions do not need Redis.
  const redis = new Redis(config.REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 5000 });
  redis.on('error', (err) => logger.warn({ err }, 'session store (Redis) connection error'));
  const sessions = new SessionService({
    store: new RedisSessionStore(redis, config.SESSION_PREFIX, logger),
    issuer,
    idleSeconds: config.SESSION_IDLE_SECONDS,
    absoluteSeconds: config.SESSION_ABSOLUTE_SECONDS,
    tokenTtlSeconds: config.SESSION_TOKEN_TTL_SECONDS,
  });

  // Accounts and sign-in through the identity provider; without a provider configured, the gateway needs no database.
  let orm: MikroORM | undefined;
  let accounts: AccountsDeps | undefined;
  if (config.OIDC_DISCOVERY_URL) {
    orm = await createOrm({ databaseUrl: config.DATABASE_URL, schema: GATEWAY_SCHEMA, entities: [], migrations, poolMax: config.DB_POOL_MAX, logger });
    if (config.RUN_MIGRATIONS) await migrate(orm, GATEWAY_SCHEMA);
    const db = orm;
    // Never in production, even with demo sign-in on: a real person whose SNILS is a demo one would be linked to a demo account and its roles.
    if (config.DEMO_SIGN_IN && config.NODE_ENV !== 'production') await seedDemoAccounts(db.em.fork(), DEMO_USERS.map((user) => ({ ...user, accountSnils: DEMO_SNILS[user.username]! })));
    const opened: AccountsDeps = {
      em: () => db.em.fork(),
      identity: oidcIdentityProvider({
        discoveryUrl: config.OIDC_DISCOVERY_URL,
        clientId: config.OIDC_CLIENT_ID,
        clientSecret: config.OIDC_CLIENT_SECRET,
        scope: config.OIDC_SCOPE,
        allowHttp: config.NODE_ENV !== 'production',
        logger,
      }),
      limiter: redisSignInLimiter({
        redis,
        prefix: config.SESSION_PREFIX,
        perAddress: config.RATE_LIMIT_PER_ADDRESS,
        perAccount: config.RATE_LIMIT_PER_ACCOUNT,
        windowSeconds: config.RATE_LIMIT_WINDOW_SECONDS,
        logger,
      }),
      loginTtlSeconds: LOGIN_TTL_SECONDS,
    };
    sessions.currentUser = userOfAccount(opened);
    accounts = opened;
  }
  const mailer = config.SMTP_URL ? smtpMailer(config.SMTP_URL, config.MAIL_FROM) : undefined;
  const deps: Deps = { auth, sessions, signInMethod: new DemoSignIn(auth), accounts, issuer, registry: registryClient(config.REGISTRY_URL, 30_000), mailer, logger };
  const proxy = serviceProxy({
    services: { ledger: config.LEDGER_URL, registry: config.REGISTRY_URL, certificates: config.CERTIFICATES_URL, settlement: config.SETTLEMENT_URL, notifications: config.NOTIFICATIONS_URL },
    timeoutMs: config.PROXY_TIMEOUT_MS,
    logger,
  });

  const dashboard = queueDashboard({ sessions, redis, prefix: config.QUEUE_PREFIX, queueNames: config.DASHBOARD_QUEUES, publicOrigin: config.PUBLIC_ORIGIN });
  const metrics = serviceMetrics('gateway');

  const app = createHttpApp({
    logger,
    bodyLimit: config.BODY_LIMIT,
    formPaths: [SERVICE_TOKEN_PATH],
    preBodyHandlers: [securityHeaders(), sessionGuard(sessions, config.PUBLIC_ORIGIN), proxy.router],
    publicRouters: [
      metrics.router(verifier),
      healthRouter({
        signing_key: async () => signingKey.kid,
        session_store: () => redis.ping(),
        ...(orm ? { database: () => sqlOf(orm!.em.fork()).run('select 1') } : {}),
      }),
      jwksRouter([signingKey]),
    ],
    routers: [
      authRouter(deps),
      meRouter(verifier, deps),
      oidcRouter(deps, { publicOrigin: config.PUBLIC_ORIGIN, redirectUri: config.OIDC_REDIRECT_URI, loginTtlSeconds: LOGIN_TTL_SECONDS }),
      sessionRouter(deps),
      adminRouter(deps),
      onboardingRouter(deps, { publicOrigin: config.PUBLIC_ORIGIN }),
      dashboard.router,
      webAppRouter(config.WEB_DIST_DIR),
    ],
  });
  app.set('trust proxy', config.TRUST_PROXY);

  let server: Server | undefined;
  return {
    app,
    config,
    logger,
    async start(port = config.PORT) {
      if (server) throw new Error('The gateway is already listening.');
      const listening = await listen(metrics.instrument(app), port);
      server = listening.server;
      logger.info({ url: listening.url, kid: signingKey.kid, demoSignIn: config.DEMO_SIGN_IN, webDistDir: config.WEB_DIST_DIR }, 'gateway listening');
      return { url: listening.url };
    },
    async stop() {
      const closing = server;
      server = undefined;
      if (closing) await closeHttpServer(closing);
      proxy.close();
      await dashboard.close();
      if (redis.status === 'wait' || redis.status === 'end') redis.disconnect();
      else await redis.quit().catch(() => redis.disconnect());
      await orm?.close();
      mailer?.close();
    },
  };
}
