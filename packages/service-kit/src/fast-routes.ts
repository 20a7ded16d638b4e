import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import type { Express, Request, Response } from 'express';
import { hasAccess, type AccessRule, type Principal, type TokenVerifier } from './auth';
import { assertStorableRequest } from './input-guard';
import type { Logger } from './logger';
import { problemErrorHandler, sendJson } from './problem';

/** What a fast route answers: a value sent as JSON, or JSON already serialised (a cached page). */
export type FastAnswer = { status: number; body: unknown; contentType?: string } | { status: number; json: string | Buffer; contentType?: string };

export interface FastRequest {
  /** Undefined only on public routes. */
  principal: Principal | undefined;
  params: Record<string, string>;
  /** Parsed as Express's default ("simple") query parser does. */
  query: Record<string, unknown>;
  body: unknown;
}

/** A hot endpoint served in front of Express. */
export interface FastRoute {
  method: 'POST' | 'GET' | 'PUT' | 'PATCH' | 'DELETE';
  /** Matched against the path without the query string; named groups become `params`. */
  path: RegExp;
  /**
   * Roles or scopes the route needs, as requireAccess checks them; none: any signed-in caller (the
   * handler decides); 'public': no token at all.
   */
  access?: AccessRule | 'public';
  /** Validates its input as the Express route does; an error it throws is answered as problem+json. */
  handle(request: FastRequest): Promise<FastAnswer>;
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
 * the work (measured: half of the certificates service's CPU per redemption, more than half of the
 * ledger's per transfer). Only a matching request with a small JSON body (or none), a valid token and
 * the access the route needs stays here; anything else (other routes, other content types, big,
 * chunked or compressed bodies, a missing or bad token, a missing role) goes to the Express app, with
 * the body already read, and is answered exactly as before. The route's handler is the one its Express
 * twin calls, and its input is read as Express reads it (an empty JSON body is `{}`, a byte order mark
 * is dropped, path parameters are percent-decoded), so each endpoint has one behaviour whichever way
 * it is served; tests/contract/fast-routes-doors.test.ts holds every fast route to that.
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
    const contentType = headers['content-type'];
    const json = contentType !== undefined && JSON_TYPES.has(contentType);
    const bodyFits = (contentType === undefined ? length === 0 : json && length <= maxBody) && headers['content-encoding'] === undefined;
    const needsToken = found?.route.access !== 'public';
    if (!found || !bodyFits || !(length >= 0) || headers['transfer-encoding'] !== undefined || (needsToken && headers.authorization === undefined)) {
      express(req, res);
      return;
    }
    const started = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    req.on('error', () => undefined);
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // Express's JSON parser reads an empty JSON body as {} and drops a byte order mark.
      let body: unknown = json && headers['content-length'] !== undefined ? {} : undefined;
      if (length > 0) {
        try {
          const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
          body = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
        } catch {
          // The body is consumed: answer as Express's JSON parser would.
          fail(req, res, { type: 'entity.parse.failed', status: 400 }, started);
          return;
        }
      }
      void serve(found, req, res, body, started);
    });
  };

  type Match = { route: FastRoute; params: Record<string, string>; search: string };

  function match(req: IncomingMessage): Match | undefined {
    const url = req.url ?? '';
    const mark = url.indexOf('?');
    const path = mark < 0 ? url : url.slice(0, mark);
    for (const route of routes) {
      if (route.method !== req.method) continue;
      const matched = route.path.exec(path);
      if (matched) return { route, params: { ...matched.groups }, search: mark < 0 ? '' : url.slice(mark + 1) };
    }
    return undefined;
  }

  async function serve({ route, params, search }: Match, req: IncomingMessage, res: ServerResponse, body: unknown, started: bigint) {
    let principal: Principal | undefined;
    if (route.access !== 'public') {
      const token = BEARER.exec(req.headers.authorization!)?.[1];
      principal = token ? await options.verifier.verify(token).catch(() => undefined) : undefined;
      if (!principal || (route.access && !hasAccess(principal, route.access))) {
        // Express re-checks and answers the problem (401, 403) in its usual words.
        (req as Request).body = body;
        express(req, res);
        return;
      }
    }
    setRequestId(req, res);
    try {
      const query = search ? parseQueryString(search) : {};
      // As Express's storableInput middleware: text PostgreSQL would refuse is answered 400 before the handler.
      const url = req.url ?? '';
      const mark = url.indexOf('?');
      assertStorableRequest(url, mark < 0 ? url : url.slice(0, mark), () => query, body);
      const answer = await route.handle({ principal, params: decodedParams(params), query, body });
      if ('json' in answer) {
        // Already serialised: headers and body still leave in one write.
        res.statusCode = answer.status;
        res.setHeader('Content-Type', answer.contentType ?? 'application/json; charset=utf-8');
        res.end(answer.json);
      } else sendJson(res as unknown as Response, answer.status, answer.body, answer.contentType);
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

/** As Express's router decodes them; a URIError (`%zz`) is answered 400 malformed_path like Express's. */
function decodedParams(params: Record<string, string>): Record<string, string> {
  const decoded: Record<string, string> = {};
  for (const name in params) decoded[name] = decodeURIComponent(params[name]!);
  return decoded;
}
