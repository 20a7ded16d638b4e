import type { ErrorRequestHandler, RequestHandler, Response } from 'express';
import { z } from 'zod';
import { AppError, type ErrorKind, type FieldProblem, validationFailed } from './errors';
import type { Logger } from './logger';

const statusByKind: Record<ErrorKind, number> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  too_many_requests: 429,
  unavailable: 503,
  internal: 500,
};

const titleByStatus: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  431: 'Request Header Fields Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

export function statusOf(kind: ErrorKind): number {
  return statusByKind[kind];
}

/**
 * Ends the response with a JSON string: Node then sends headers and body in one write, where
 * res.json's Buffer body costs a second chunk and a writev (measurable on hot endpoints).
 */
export function sendJson(res: Response, status: number, body: unknown, contentType = 'application/json; charset=utf-8') {
  res.statusCode = status;
  res.setHeader('Content-Type', contentType);
  res.end(JSON.stringify(body));
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/**
 * An RFC 9457 problem document with the stable `code` every client keys on. Extensions come first so
 * that none can overwrite a standard member (an extension named `status` once replaced the HTTP status).
 */
export function problemBody(status: number, code: string, detail: string, extensions: Record<string, unknown> = {}) {
  return { ...extensions, type: `urn:esc:problem:${code}`, title: titleByStatus[status] ?? 'Error', status, code, detail };
}

export function sendProblem(res: Response, status: number, code: string, detail: string, extensions: Record<string, unknown> = {}) {
  sendJson(res, status, problemBody(status, code, detail, extensions), PROBLEM_CONTENT_TYPE);
}

// Field messages reach the people who filled the form (citizens, providers, finance officers): Russian.
z.config(z.locales.ru());

export function zodFieldProblems(error: z.ZodError, prefix = ''): FieldProblem[] {
  return error.issues.map((issue) => ({
    field: [prefix, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
      .filter(Boolean)
      .join('.')
      .replace(/\.\[/g, '['),
    message: issue.message,
  }));
}

/** Validates untrusted input; a failure is a 400 listing every offending field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(input);
  if (!result.success) throw validationFailed(zodFieldProblems(result.error, prefix));
  return result.data;
}

interface PgError {
  code?: string;
  message?: string;
  detail?: string;
  constraint?: string;
}

const invalidText = () =>
  new AppError(
    'validation',
    'invalid_characters',
    'Запрос содержит символы, которые нельзя сохранить (NUL или одиночный суррогат UTF-16). Уберите их и отправьте запрос снова.',
  );

function pgProblem(err: PgError): AppError | undefined {
  switch (err.code) {
    case '23505':
      return new AppError('conflict', 'already_exists', 'A record with the same identifier already exists.', { constraint: err.constraint });
    case '23503':
      return new AppError('not_found', 'referenced_record_not_found', 'The request refers to a record that does not exist.', {
        constraint: err.constraint,
      });
    // Text PostgreSQL cannot store (a NUL, a lone surrogate) that slipped past the input guard: still the client's.
    case '22021':
    case '22P05':
      return invalidText();
    // A NUL in a bound text parameter breaks the Bind message itself; only that refusal is the client's.
    case '08P01':
      return err.message?.includes('invalid message format') ? invalidText() : undefined;
    case '40001':
    case '40P01':
      return new AppError('unavailable', 'retry_transaction', 'The operation collided with a concurrent one; retry it.', {});
    default:
      return undefined;
  }
}

// PostgreSQL shutting down or starting (57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot
// connect now) and connection failures (class 08, but 08P01 which may be the client's NUL).
const SERVER_GOING_AWAY = new Set(['57P01', '57P02', '57P03']);
const SOCKET_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH']);
// What node-postgres throws, without a code, when the server goes away mid-query or the pool cannot connect in time.
const LOST_CONNECTION_MESSAGES = /^(Connection terminated|Connection terminated unexpectedly|timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable)$/;

/**
 * The database could not be reached or went away (a restart, a failover): nothing the client did, and
 * worth retrying in a moment, so a 503 with Retry-After rather than a 500.
 */
function databaseUnavailable(err: PgError & { errno?: unknown }): boolean {
  if (!err || typeof err !== 'object') return false;
  const code = err.code;
  if (typeof code === 'string') {
    if (SERVER_GOING_AWAY.has(code) || SOCKET_ERRORS.has(code)) return true;
    if (/^08[0-9A-Z]{3}$/.test(code) && code !== '08P01') return true;
  }
  return typeof err.message === 'string' && LOST_CONNECTION_MESSAGES.test(err.message);
}

const unavailableDatabase = () =>
  new AppError('unavailable', 'database_unavailable', 'База данных сервиса временно недоступна (например, перезапускается). Повторите запрос через несколько секунд.');

function toAppError(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  if (databaseUnavailable(err as PgError) || databaseUnavailable((err as { cause?: PgError })?.cause as PgError)) return unavailableDatabase();
  const e = err as { type?: string; status?: number; cause?: unknown } & PgError;
  // The router could not percent-decode a path segment (`%FF`): the address is the client's mistake.
  if (err instanceof URIError) return new AppError('validation', 'malformed_path', 'Адрес запроса содержит неверную процентную кодировку (%XX). Исправьте ссылку.');
  if (e?.type === 'entity.parse.failed') return new AppError('validation', 'malformed_json', 'The request body is not valid JSON.');
  if (e?.type === 'entity.too.large')
    return new AppError('too_large', 'payload_too_large', 'The request body is larger than this endpoint accepts; split it.');
  if (e?.type === 'encoding.unsupported' || e?.type === 'charset.unsupported')
    return new AppError('validation', 'unsupported_encoding', 'The request body encoding is not supported; send UTF-8 JSON.');
  // A body sent as gzip, deflate, br or zstd that does not decompress: zlib's error (a numeric errno and a code:
  // Z_DATA_ERROR, ERR__ERROR_FORMAT_PADDING_1, ZSTD_error_prefix_unknown…), given status 400 by the body parser.
  if (typeof e?.code === 'string' && typeof (e as { errno?: unknown }).errno === 'number' && e.status === 400) {
    return new AppError(
      'validation',
      'malformed_body',
      'Тело запроса не распаковывается: оно не сжато так, как указано в заголовке Content-Encoding. Отправьте его несжатым или сжатым правильно.',
    );
  }
  const pg = pgProblem(e) ?? (e?.cause ? pgProblem(e.cause as PgError) : undefined);
  if (pg) return pg;
  // Other body-parser refusals (aborted upload, wrong Content-Length…) are the client's, not ours.
  if (typeof e?.type === 'string' && typeof e.status === 'number' && e.status >= 400 && e.status < 500) {
    return new AppError('validation', 'bad_request_body', 'The request body could not be read; send it again in full.');
  }
  return undefined;
}

/** 401s about the bearer token challenge for one; others (a wrong password, say) are not about a token. */
const BEARER_CHALLENGE_CODES = new Set(['unauthenticated', 'invalid_token', 'token_expired']);

export function problemErrorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const appError = toAppError(err);
    if (!appError) {
      logger.error({ err, reqId: req.id }, 'unhandled error');
      sendProblem(res, 500, 'internal_error', 'Something went wrong on our side. The request id identifies it for support.', {
        request_id: String(req.id ?? ''),
      });
      return;
    }
    const status = statusOf(appError.kind);
    if (status === 401 && BEARER_CHALLENGE_CODES.has(appError.code)) res.setHeader('WWW-Authenticate', 'Bearer');
    if (status === 503) res.setHeader('Retry-After', '1');
    // A limiter says how long to wait (RFC 9110 §10.2.3); the body says it too, in seconds.
    if (status === 429) res.setHeader('Retry-After', String(appError.extensions.retry_after_seconds ?? 60));
    const extensions: Record<string, unknown> = { ...appError.extensions };
    if (appError.fieldProblems.length) extensions.errors = appError.fieldProblems;
    sendProblem(res, status, appError.code, appError.detail, extensions);
  };
}

export const routeNotFound: RequestHandler = (req, res) => {
  sendProblem(res, 404, 'route_not_found', `There is no ${req.method} ${req.path} here; see the OpenAPI contract.`);
};

/** Bodies are JSON, except on the routes listed as accepting HTML-form bodies (OAuth token requests). */
export function requireJsonBody(formPaths: string[] = []): RequestHandler {
  return (req, _res, next) => {
    const hasBody = Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
    if (!['POST', 'PUT', 'PATCH'].includes(req.method) || (!hasBody && !req.headers['content-type'])) return next();
    if (req.is('application/json')) return next();
    if (formPaths.includes(req.path) && req.is('application/x-www-form-urlencoded')) return next();
    throw new AppError('unsupported_media_type', 'unsupported_media_type', 'Send the body as application/json.');
  };
}
