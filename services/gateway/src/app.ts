import type { Server } from 'node:http';
import express, { type Express } from 'express';
import {
  AppError,
  closeHttpServer,
  createHttpApp,
  createJwtVerifier,
  createLogger,
  healthRouter,
  listen,
  problemErrorHandler,
  type Logger,
  type TokenVerifier,
} from '@esc/service-kit';
import { authRouter } from './api/auth-routes';
import { acceptFormBody } from './api/form-body';
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

  // The gateway checks its own tokens the way every other service does: through its published JWKS.
  let selfVerifier: TokenVerifier | undefined;
  const verifier: TokenVerifier = {
    verify(token) {
      if (!selfVerifier) throw new AppError('unavailable', 'gateway_not_listening', 'The gateway cannot verify tokens before it listens.');
      return selfVerifier.verify(token);
    },
  };

  const api = createHttpApp({
    logger,
    bodyLimit: config.BODY_LIMIT,
    publicRouters: [healthRouter({ signing_key: async () => signingKey.kid }), jwksRouter([signingKey])],
    routers: [authRouter(auth), meRouter(verifier, auth)],
  });
  // OAuth form requests are parsed before service-kit's JSON-only app sees them (see form-body.ts).
  const app = express();
  app.disable('x-powered-by');
  app.post('/v1/auth/service-token', acceptFormBody);
  app.use(api);
  app.use(problemErrorHandler(logger));

  let server: Server | undefined;
  return {
    app,
    config,
    logger,
    async start(port = config.PORT) {
      if (server) throw new Error('The gateway is already listening.');
      const listening = await listen(app, port);
      server = listening.server;
      selfVerifier = createJwtVerifier({ jwksUri: `${listening.url}/.well-known/jwks.json`, issuer: config.JWT_ISSUER, audience: config.JWT_AUDIENCE });
      logger.info({ url: listening.url, kid: signingKey.kid, demoSignIn: config.DEMO_SIGN_IN }, 'gateway listening');
      return { url: listening.url };
    },
    async stop() {
      if (!server) return;
      const closing = server;
      server = undefined;
      selfVerifier = undefined;
      await closeHttpServer(closing);
    },
  };
}
