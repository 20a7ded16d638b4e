import { randomUUID } from 'node:crypto';
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Express, Request, Response } from 'express';
import { hasAccess, problemErrorHandler, type Logger, type TokenVerifier } from '@esc/service-kit';
import type { TransferBatcher } from '../domain/transfer-batcher';
import { sendTransferResults, WRITE_ACCESS } from './routes';
import * as schemas from './schemas';

const JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8', 'application/json;charset=utf-8']);
const MAX_FAST_BODY = 64 * 1024;
const REQUEST_ID = /^[\w.-]{1,100}$/;
const BEARER = /^Bearer\s+(\S+)$/i;

/**
 * POST /v1/transfers without the Express stack: at a few thousand single-transfer requests a second,
 * the middleware chain, the router and Express's request/response prototypes cost more than the
 * transfer itself. Only a well-formed, authorised, valid request with a small JSON body stays here;
 * anything else (other routes, other content types, big or chunked bodies, a bad token, a missing
 * scope, a validation failure) goes to the Express app, with the body already read, and is answered
 * exactly as before. The happy path calls the same schema, batcher and response mapping as the route.
 */
export function withTransferFastPath(app: Express, batcher: TransferBatcher, verifier: TokenVerifier, logger: Logger): RequestListener {
  const onError = problemErrorHandler(logger);
  const express = app as unknown as RequestListener;

  return (req, res) => {
    const headers = req.headers;
    const length = Number(headers['content-length']);
    if (
      req.method !== 'POST' ||
      req.url !== '/v1/transfers' ||
      !JSON_TYPES.has(headers['content-type'] ?? '') ||
      !(length > 0 && length <= MAX_FAST_BODY) ||
      headers['transfer-encoding'] !== undefined ||
      headers.authorization === undefined
    ) {
      express(req, res);
      return;
    }
    const started = process.hrtime.bigint();
    const chunks: Buffer[] = [];
    req.on('error', () => undefined);
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const text = chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch {
        // The body is consumed: answer as Express's JSON parser would.
        fail(req, res, { type: 'entity.parse.failed', status: 400 }, started);
        return;
      }
      void handle(req, res, body, started);
    });
  };

  async function handle(req: IncomingMessage, res: ServerResponse, body: unknown, started: bigint): Promise<void> {
    const match = BEARER.exec(req.headers.authorization!);
    const principal = match?.[1] ? await verifier.verify(match[1]).catch(() => undefined) : undefined;
    const parsed = principal && hasAccess(principal, WRITE_ACCESS) ? schemas.transferBatchBody.safeParse(body) : undefined;
    if (!parsed?.success) {
      // The Express path re-checks and answers the problem (401, 403, 400) in its usual words.
      (req as Request).body = body;
      express(req, res);
      return;
    }
    setRequestId(req, res);
    try {
      sendTransferResults(res as unknown as Response, await batcher.submit(parsed.data.transfers.map(schemas.toTransferRequest)));
      if (res.statusCode >= 400) logFailure(req, res, started);
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
    logFailure(req, res, started);
  }

  function logFailure(req: IncomingMessage, res: ServerResponse, started: bigint): void {
    const status = res.statusCode;
    logger[status >= 500 ? 'error' : 'info'](
      { reqId: (req as Request).id, method: req.method, url: req.url, status, ms: Number(process.hrtime.bigint() - started) / 1e6 },
      'request',
    );
  }
}
