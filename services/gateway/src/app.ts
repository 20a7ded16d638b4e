import type { Server } from 'node:http';
import type { Express } from 'express';
import { Redis } from 'ioredis';
import { closeHttpServer, createHttpApp, createLocalJwtVerifier, createLogger, healthRouter, listen, serviceMetrics, type Logger } from '@esc/service-kit';
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
import type { Deps } from './domain/context';
import { DEMO_USERS } from './domain/demo-users';
import { ServiceClientRegistry } from './domain/service-clients';
import { DemoSignIn } from './domain/session-sign-in';
import { SessionService } from './domain/sessions';
import { loadOrCreateSigningKey } from './domain/signing-key';
import { TokenIssuer } from './domain/token-issuer';

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
    ttlSeconds: config.SESSION_TTL_SECONDS,
  });
  const deps: Deps = { auth, sessions, signInMethod: new DemoSignIn(auth) };
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
    publicRouters: [metrics.router(verifier), healthRouter({ signing_key: async () => signingKey.kid, session_store: () => redis.ping() }), jwksRouter([signingKey])],
    routers: [authRouter(deps), meRouter(verifier, deps), sessionRouter(deps), dashboard.router, webAppRouter(config.WEB_DIST_DIR)],
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
    },
  };
}
