import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express, { type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from './logger';
import { problemErrorHandler, requireJsonBody, routeNotFound } from './problem';

export interface HttpAppOptions {
  logger: Logger;
  bodyLimit: string;
  /** Mounted before the API: health, JWKS and other unauthenticated routes. */
  publicRouters?: Router[];
  routers: Router[];
  /** Hot endpoints log only failures so logging does not cost more than the work. */
  logSuccessfulRequests?: boolean;
}

export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'info' : options.logSuccessfulRequests === false ? 'silent' : 'info'),
      serializers: { req: (req) => ({ id: req.id, method: req.method, url: req.url }), res: (res) => ({ statusCode: res.statusCode }) },
    }),
  );
  app.use(requireJsonBody);
  app.use(express.json({ limit: options.bodyLimit, strict: false, type: 'application/json' }));
  for (const router of options.publicRouters ?? []) app.use(router);
  for (const router of options.routers) app.use(router);
  app.use(routeNotFound);
  app.use(problemErrorHandler(options.logger));
  return app;
}

export async function listen(app: Express, port: number, host = '127.0.0.1'): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = app.listen(port, host, (err?: Error) => {
      if (err) return reject(err);
      server.keepAliveTimeout = 65_000;
      const address = server.address() as AddressInfo;
      resolve({ server, url: `http://${host}:${address.port}` });
    });
    server.on('error', reject);
  });
}
