import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';
import { hasAccess, type AccessRule, type Principal, type TokenVerifier } from './auth';
import type { Logger } from './logger';
import { problemErrorHandler, sendJson } from './problem';

/** A hot endpoint served in front of Express. */
export interface FastRoute {
  method: 'POST' | 'GET' | 'PUT' | 'PATCH' | 'DELETE';
  /** Matched against the whole path (a query string sends the request to Express); named groups become `params`. */
  path: RegExp;
  /** Roles or scopes the route needs, as requireAccess checks them; none: any signed-in caller, the handler decides. */
  access?: AccessRule;
  /** Validates its input as the Express route does; an error it throws is answered as problem+json. */
  handle(request: { principal: Principal; params: Record<string, string>; body: unknown }): Promise<{ status: number; body: unknown }>;
}

export interface FastRoutesOptions {
  verifier: TokenVerifier;
  logger: Logger;
  logSuccessfulRequests?: boolean;
  maxBody?: number;
}

const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);
const REQUEST_ID = /^[\w.-]{1,100}$/;
const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * Serves a service's hottest endpoints without the Express stack: at a few thousand requests a
 * second the middleware chain, the router and Express's request/response prototypes cost more than
 * the work. Only a matching request with a small JSON body (or none), a valid token and the access
 * the route needs stays here; anything else (other routes, other content types, big or chunked bodies,
 * a missing or bad token, a missing role) goes to the Express app with the body already read and is
 * answered exactly as before. The route's own handler validates and answers the same way its Express
 * twin does, so each endpoint has one behaviour whichever way it is served.
 */
export function withFastRoutes(app: Express, routes: FastRoute[], options: FastRoutesOptions): RequestListener {
  const express = app as unknown as RequestListener;
  const onError = problemErrorHandler(options.logger);
  const maxBody = options.maxBody ?? 64 * 1024;
  const logSuccess = options.logSuccessfulRequests ?? true;

  return (req, res) => {
    const found = match(req);
    const headers = req.headers;
    const length = headers['content-length'] === undefined ? 0 : Number(headers['content-length']);
    const bodyFits = length === 0 || (JSON_TYPES.has(headers['content-type'] ?? '') && length <= maxBody);
    if (!found || !bodyFits || !(length >= 0) || headers['transfer-encoding'] !== undefined || headers.authorization === undefined) {
      express(req, res);
      return;
    }
    const started = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    req.on('error', () => undefined);
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      let body: unknown;
      if (length > 0) {
        try {
          body = JSON.parse(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
        } catch {
          // The body is consumed: answer as Express's JSON parser would.
          fail(req, res, { type: 'entity.parse.failed', status: 400 }, started);
          return;
        }
      }
      void serve(found.route, found.params, req, res, body, started);
    });
  };

  function match(req: IncomingMessage): { route: FastRoute; params: Record<string, string> } | undefined {
    const url = req.url ?? '';
    for (const route of routes) {
      if (route.method !== req.method) continue;
      const matched = route.path.exec(url);
      if (matched) return { route, params: { ...matched.groups } };
    }
    return undefined;
  }

  async function serve(route: FastRoute, params: Record<string, string>, req: IncomingMessage, res: ServerResponse, body: unknown, started: bigint) {
    const token = BEARER.exec(req.headers.authorization!)?.[1];
    const principal = token ? await options.verifier.verify(token).catch(() => undefined) : undefined;
    if (!principal || (route.access && !hasAccess(principal, route.access))) {
      // Express re-checks and answers the problem (401, 403) in its usual words.
      (req as Request).body = body;
      express(req, res);
      return;
    }
    setRequestId(req, res);
    try {
      const answer = await route.handle({ principal, params, body });
      sendJson(res as unknown as Response, answer.status, answer.body);
      log(req, res, started);
    } catch (err) {
      fail(req, res, err, started);
    }
  }

  function setRequestId(req: IncomingMessage, res: ServerResponse): void {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    (req as Request).id = id;
    res.setHeader('X-Request-Id', id);
  }

  function fail(req: IncomingMessage, res: ServerResponse, err: unknown, started: bigint): void {
    if (!(req as Request).id) setRequestId(req, res);
    // The shared problem handler only sets headers and ends the response, which a plain ServerResponse does.
    onError(err, req as Request, res as unknown as Response, () => undefined);
    log(req, res, started);
  }

  function log(req: IncomingMessage, res: ServerResponse, started: bigint): void {
    const status = res.statusCode;
    if (status < 400 && !logSuccess) return;
    options.logger[status >= 500 ? 'error' : 'info'](
      { reqId: (req as Request).id, method: req.method, url: req.url, status, ms: Number(process.hrtime.bigint() - started) / 1e6 },
      'request',
    );
  }
}
