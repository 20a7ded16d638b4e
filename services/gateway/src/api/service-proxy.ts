import { Agent as HttpAgent, request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { pipeline } from 'node:stream';
import { Router, type Request, type Response } from 'express';
import { AppError, sendProblem, type Logger } from '@esc/service-kit';

export const PROXIED_SERVICES = ['ledger', 'registry', 'certificates', 'settlement', 'notifications'] as const;
export type ProxiedService = (typeof PROXIED_SERVICES)[number];

const SERVICE_TITLES: Record<ProxiedService, string> = {
  ledger: 'учёта средств',
  registry: 'реестра поставщиков и услуг',
  certificates: 'сертификатов',
  settlement: 'расчётов с поставщиками',
  notifications: 'уведомлений',
};

// Hop-by-hop headers (RFC 9110 §7.6.1), and what the browser sends that is not for the services:
// its cookies, any Authorization of its own, the CSRF token and forwarding headers it could forge.
const DROPPED_REQUEST_HEADERS = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authorization',
  'te',
  'trailer',
  'upgrade',
  'host',
  'cookie',
  'authorization',
  'x-csrf-token',
  'forwarded',
  'x-forwarded-for',
  'x-forwarded-host',
  'x-forwarded-proto',
  'x-request-id',
]);
// Only the gateway sets cookies and cross-origin rules for its origin.
const DROPPED_RESPONSE_HEADERS = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'trailer', 'upgrade', 'set-cookie']);

export interface ServiceProxyOptions {
  services: Record<ProxiedService, string>;
  timeoutMs: number;
  logger: Logger;
}

/** A service's /metrics is for Prometheus on the internal network, never through the public proxy (as Express matches it: any case, encoded, doubled or trailing slashes). */
function isMetricsPath(rest: string): boolean {
  let path = rest.split('?')[0]!;
  try {
    path = decodeURIComponent(path);
  } catch {
    return false;
  }
  return path.toLowerCase().replace(/\/+/g, '/').replace(/\/$/, '') === '/metrics';
}

/** /api/<name> the gateway answers itself (sessions, sign-in, accounts, onboarding and staff). */
const GATEWAY_OWN = new Set(['session', 'auth', 'admin', 'onboarding', 'provider', 'invitations']);

const isProxied = (name: string): name is ProxiedService => (PROXIED_SERVICES as readonly string[]).includes(name);

function requestHeaders(req: Request, target: URL): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined && !DROPPED_REQUEST_HEADERS.has(name)) headers[name] = value;
  }
  headers.host = target.host;
  headers['x-forwarded-for'] = req.ip ?? '';
  headers['x-forwarded-proto'] = req.protocol;
  headers['x-forwarded-host'] = req.host;
  if (req.id) headers['x-request-id'] = req.id;
  if (req.webSession) headers.authorization = `Bearer ${req.webSession.accessToken}`;
  return headers;
}

function responseHeaders(incoming: IncomingHttpHeaders): OutgoingHttpHeaders {
  const headers: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(incoming)) {
    if (value !== undefined && !DROPPED_RESPONSE_HEADERS.has(name) && !name.startsWith('access-control-')) headers[name] = value;
  }
  return headers;
}

/**
 * `/api/<service>/<path>` streamed to `<service URL>/<path>` with the web session's token in place of
 * the browser's cookie. Mounted before the body parsers so uploads and downloads of any type pass
 * byte for byte. (http-proxy-middleware 4 is ESM-only and does not load under this repository's
 * CommonJS Jest, so this is plain node:http.)
 */
export function serviceProxy(options: ServiceProxyOptions): { router: Router; close(): void } {
  const targets = Object.fromEntries(Object.entries(options.services).map(([name, url]) => [name, new URL(url)])) as Record<ProxiedService, URL>;
  const agents = { http: new HttpAgent({ keepAlive: true }), https: new HttpsAgent({ keepAlive: true }) };

  const forward = (service: ProxiedService, rest: string, req: Request, res: Response) => {
    const target = targets[service];
    const basePath = target.pathname.replace(/\/+$/, '');
    const path = `${basePath}${rest.startsWith('/') ? rest : `/${rest}`}`;
    const secure = target.protocol === 'https:';
    const upstream = (secure ? httpsRequest : httpRequest)({
      protocol: target.protocol,
      hostname: target.hostname,
      port: target.port || undefined,
      method: req.method,
      path,
      headers: requestHeaders(req, target),
      agent: secure ? agents.https : agents.http,
      timeout: options.timeoutMs,
    });

    upstream.on('response', (answer) => {
      res.writeHead(answer.statusCode ?? 502, responseHeaders(answer.headers));
      pipeline(answer, res, (err) => {
        if (err && !res.writableFinished) options.logger.warn({ err, reqId: req.id, service }, 'proxied response broke off');
      });
    });
    upstream.on('timeout', () => upstream.destroy(new Error(`${service} sent nothing for ${options.timeoutMs} ms`)));
    upstream.on('error', (err) => {
      if (res.headersSent) {
        res.destroy(err);
        return;
      }
      options.logger.error({ err, reqId: req.id, service }, 'proxied service did not answer');
      sendProblem(
        res,
        502,
        'service_unavailable',
        `Сервис ${SERVICE_TITLES[service]} сейчас не отвечает. Повторите действие через минуту; если ошибка повторится, сообщите в поддержку.`,
        { service },
      );
    });
    // The browser gave up (closed the tab, cancelled a download): stop asking the service.
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  };

  const router = Router();
  router.use('/api', (req, res, next) => {
    const match = /^\/([^/?]*)(.*)$/s.exec(req.url);
    const service = match?.[1] ?? '';
    if (GATEWAY_OWN.has(service)) return next();
    if (!isProxied(service)) {
      throw new AppError('not_found', 'not_found', `Адреса ${req.originalUrl.split('?')[0]} нет. Проверьте ссылку или вернитесь на главную страницу.`);
    }
    if (isMetricsPath(match?.[2] ?? '')) {
      throw new AppError('not_found', 'not_found', `Адреса ${req.originalUrl.split('?')[0]} нет. Проверьте ссылку или вернитесь на главную страницу.`);
    }
    forward(service, match?.[2] ?? '', req, res);
  });

  return {
    router,
    close() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
