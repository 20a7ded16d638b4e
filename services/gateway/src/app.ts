import type { Server } from 'node:http';
import type { Express } from 'express';
import { closeHttpServer, createHttpApp, createLocalJwtVerifier, createLogger, healthRouter, listen, type Logger } from '@esc/service-kit';
import { authRouter, SERVICE_TOKEN_PATH } from './api/auth-routes';
import { jwksRouter } from './api/jwks-routes';
import { meRouter } from './api/me-routes';
import { loadGatewayConfig, type GatewayConfig } from './config';
import { AuthService } from './domain/auth';
import { DEMO_USERS } from './domain/demo-users';
import { ServiceClientRegistry } from './domain/service-clients';
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
  const auth = new AuthService({
    issuer: new TokenIssuer({ key: signingKey, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE, ttlSeconds: config.TOKEN_TTL_SECONDS }),
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

  const app = createHttpApp({
    logger,
    bodyLimit: config.BODY_LIMIT,
    formPaths: [SERVICE_TOKEN_PATH],
    publicRouters: [healthRouter({ signing_key: async () => signingKey.kid }), jwksRouter([signingKey])],
    routers: [authRouter(auth), meRouter(verifier, auth)],
  });

  let server: Server | undefined;
  return {
    app,
    config,
    logger,
    async start(port = config.PORT) {
      if (server) throw new Error('The gateway is already listening.');
      const listening = await listen(app, port);
      server = listening.server;
      logger.info({ url: listening.url, kid: signingKey.kid, demoSignIn: config.DEMO_SIGN_IN }, 'gateway listening');
      return { url: listening.url };
    },
    async stop() {
      if (!server) return;
      const closing = server;
      server = undefined;
      await closeHttpServer(closing);
    },
  };
}
