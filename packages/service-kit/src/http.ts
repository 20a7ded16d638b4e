import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type Express, type RequestHandler, type Router } from 'express';
import type { Logger } from './logger';
import { storableInput } from './input-guard';
import { PROBLEM_CONTENT_TYPE, problemBody, problemErrorHandler, requireJsonBody, routeNotFound } from './problem';

export interface HttpAppOptions {
  logger: Logger;
  bodyLimit: string;
  /** Mounted before the body parsers: handlers that stream request bodies themselves (a reverse proxy) or must run first. */
  preBodyHandlers?: RequestHandler[];
  /** Mounted before the API: health, JWKS and other unauthenticated routes. */
  publicRouters?: Router[];
  routers: Router[];
  /** Hot endpoints log only failures so logging does not cost more than the work. */
  logSuccessfulRequests?: boolean;
  /** Paths that also accept application/x-www-form-urlencoded bodies (OAuth token endpoints). */
  formPaths?: string[];
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      id?: string;
    }
  }
}

/**
 * Request ids and one log line per request. pino-http builds a child logger and serializes every
 * request up front; on the ledger's hot path that alone cost more than the transfer, so this logs
 * lazily and, where asked, only failures.
 */
function requestLogging(logger: Logger, logSuccess: boolean): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    req.id = id;
    res.setHeader('X-Request-Id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const status = res.statusCode;
      if (status < 400 && !logSuccess) return;
      const level = status >= 500 ? 'error' : 'info';
      logger[level]({ reqId: id, method: req.method, url: req.originalUrl, status, ms: Number(process.hrtime.bigint() - started) / 1e6 }, 'request');
    });
    next();
  };
}

export function createHttpApp(options: HttpAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(requestLogging(options.logger, options.logSuccessfulRequests ?? true));
  for (const handler of options.preBodyHandlers ?? []) app.use(handler);
  app.use(requireJsonBody(options.formPaths));
  app.use(express.json({ limit: options.bodyLimit, strict: false, type: 'application/json' }));
  if (options.formPaths?.length) {
    app.use(options.formPaths, express.urlencoded({ extended: false, limit: '16kb', parameterLimit: 20 }));
  }
  // Text PostgreSQL would refuse (NUL, a lone surrogate) is the client's mistake, answered 400 here.
  app.use(storableInput);
  for (const router of options.publicRouters ?? []) app.use(router);
  for (const router of options.routers) app.use(router);
  app.use(routeNotFound);
  app.use(problemErrorHandler(options.logger));
  return app;
}

function endWithProblem(socket: Duplex, status: number, statusText: string, body: object) {
  const text = JSON.stringify(body);
  socket.end(`HTTP/1.1 ${status} ${statusText}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\nContent-Length: ${Buffer.byteLength(text)}\r\nConnection: close\r\n\r\n${text}`);
}

/**
 * Node's HTTP parser refuses a request it cannot read (an address or headers over its size limit, a
 * broken request line, a request too slow to arrive) before any handler runs, with a bare status and
 * no body: answered here as a problem with a code, like every other refusal.
 */
export function answerUnreadableRequest(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  if (err.code === 'HPE_HEADER_OVERFLOW') {
    endWithProblem(socket, 431, 'Request Header Fields Too Large', problemBody(431, 'request_too_large', 'Адрес или заголовки запроса слишком длинные. Сократите адрес (например, уберите лишние параметры) и повторите запрос.'));
  } else if (err.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    endWithProblem(socket, 408, 'Request Timeout', problemBody(408, 'request_timeout', 'Запрос передавался слишком долго, и сервер перестал его ждать. Повторите запрос.'));
  } else {
    endWithProblem(socket, 400, 'Bad Request', problemBody(400, 'malformed_request', 'Запрос нарушает протокол HTTP и не может быть прочитан. Повторите его из приложения.'));
  }
}

/** Serves an Express app, or a request listener in front of one (see withFastRoutes). */
export async function listen(app: Express | RequestListener, port: number, host = '127.0.0.1'): Promise<{ server: Server; url: string }> {
  return new Promise((resolve, reject) => {
    const server = createServer(app as RequestListener);
    server.keepAliveTimeout = 65_000;
    server.on('clientError', answerUnreadableRequest);
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      resolve({ server, url: `http://${host}:${address.port}` });
    });
  });
}
