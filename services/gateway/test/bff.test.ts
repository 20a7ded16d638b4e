import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { createJwtVerifier } from '@esc/service-kit';
import { createGateway, type Gateway } from '../src/app';

/** What the stand-in service saw of one request. */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

interface SessionBody {
  user: { id: string; name: string; roles: string[]; region_code?: string; snils?: string };
  expires_at: string;
  csrf_token: string;
}

const IVANOVA_ID = 'citizen:c80b4081-efb9-4a21-876f-347976278ce6';
const SESSION_PREFIX = `esc:test-session:${randomUUID()}:`;
const BINARY = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i)), randomBytes(200_000)]);
const SECURITY_DETAIL = 'Запрос отклонён из соображений безопасности. Обновите страницу и повторите действие.';

let tempDir: string;
let webDir: string;
let upstream: Server;
let seen: Seen[] = [];
const running: Gateway[] = [];
let gateway: { url: string; config: Gateway['config'] };
let redis: Redis;

function startUpstream(): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks) });
      if (req.url === '/v1/reports/report.pdf') {
        res.writeHead(200, { 'content-type': 'application/pdf', 'content-disposition': 'attachment; filename="report.pdf"' });
        res.end(BINARY);
        return;
      }
      // What a careless service might send: the gateway must not pass either to the browser.
      res.setHeader('Access-Control-Allow-Origin', '*');
      res.setHeader('Set-Cookie', 'tracker=1; Path=/');
      res.writeHead(req.url?.startsWith('/v1/missing') ? 404 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: true }));
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startGateway(overrides: Parameters<typeof createGateway>[0] = {}) {
  const instance = await createGateway({
    JWT_PRIVATE_KEY_FILE: path.join(tempDir, 'signing.pem'),
    LOG_LEVEL: 'silent',
    SESSION_PREFIX,
    WEB_DIST_DIR: webDir,
    REGISTRY_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    DEMO_SIGN_IN: true,
    ...overrides,
  });
  running.push(instance);
  const { url } = await instance.start(0);
  return { url, config: instance.config };
}

const cookieOf = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith('esc_session='));
const cookiePair = (setCookie: string) => setCookie.split(';')[0]!;

async function signIn(username = 'citizen-ivanova', base = gateway.url) {
  const res = await fetch(`${base}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  expect(res.status).toBe(200);
  const setCookie = cookieOf(res)!;
  return { cookie: cookiePair(setCookie), setCookie, session: (await res.json()) as SessionBody, res };
}

interface Call {
  method?: string;
  cookie?: string;
  csrf?: string;
  origin?: string | null;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

function call(route: string, { method = 'GET', cookie, csrf, origin = gateway.url, headers = {}, body }: Call = {}) {
  return fetch(`${gateway.url}${route}`, {
    method,
    headers: {
      ...(cookie ? { cookie } : {}),
      ...(csrf ? { 'x-csrf-token': csrf } : {}),
      ...(origin ? { origin } : {}),
      ...headers,
    },
    body,
  });
}

const lastSeen = () => seen[seen.length - 1]!;

beforeAll(async () => {
  tempDir = await mkdtemp(path.join(tmpdir(), 'esc-bff-'));
  webDir = path.join(tempDir, 'dist');
  await mkdir(path.join(webDir, 'assets'), { recursive: true });
  await writeFile(path.join(webDir, 'index.html'), '<!doctype html><html lang="ru"><title>Сертификаты</title><div id="root"></div></html>');
  await writeFile(path.join(webDir, 'assets', 'index-3f9a1c.js'), 'console.log("app");');
  upstream = await startUpstream();
  gateway = await startGateway({ LEDGER_URL: `http://127.0.0.1:${await freePort()}` });
  redis = new Redis(gateway.config.REDIS_URL, { lazyConnect: true });
});

beforeEach(() => {
  seen = [];
});

afterAll(async () => {
  for (const instance of running) await instance.stop();
  await new Promise((resolve) => upstream.close(resolve));
  const keys = await redis.keys(`${SESSION_PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await rm(tempDir, { recursive: true, force: true });
});

describe('web session', () => {
  test('When a person signs in, then the browser gets only an httpOnly SameSite=Lax cookie and the token stays in Redis', async () => {
    const { setCookie, session, res } = await signIn();
    const text = JSON.stringify(session);

    expect(setCookie).toMatch(/^esc_session=[A-Za-z0-9_-]{43};/);
    expect(setCookie).toMatch(/; HttpOnly/);
    expect(setCookie).toMatch(/; SameSite=Lax/);
    expect(setCookie).toMatch(/; Path=\//);
    expect(setCookie).not.toMatch(/; Secure/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(Object.keys(session).sort()).toEqual(['csrf_token', 'expires_at', 'user']);
    expect(session.user).toEqual({ id: IVANOVA_ID, name: 'Иванова Мария Петровна', roles: ['citizen'], region_code: '73', snils: '11223344595' });
    expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./);
    expect(session.csrf_token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const lifetime = Date.parse(session.expires_at) - Date.now();
    expect(lifetime).toBeGreaterThan(1790_000);
    expect(lifetime).toBeLessThanOrEqual(1800_000);

    const id = cookiePair(setCookie).slice('esc_session='.length);
    const stored = JSON.parse((await redis.get(`${SESSION_PREFIX}${id}`))!) as { accessToken: string; csrfToken: string };
    expect(stored.accessToken).toMatch(/^eyJ/);
    expect(stored.csrfToken).toBe(session.csrf_token);
    const ttl = await redis.ttl(`${SESSION_PREFIX}${id}`);
    expect(ttl).toBeGreaterThan(1790);
    expect(ttl).toBeLessThanOrEqual(1800);
  });

  test('When the cookie names a live session, then GET /api/session describes it; without one it answers 401 no_session', async () => {
    const { cookie, session } = await signIn('caseworker-73');

    const current = await call('/api/session', { cookie });
    expect(current.status).toBe(200);
    // Every request is activity: the idle timeout starts again, so expires_at only moves on.
    const described = (await current.json()) as SessionBody;
    expect({ ...described, expires_at: undefined }).toEqual({ ...session, expires_at: undefined });
    expect(Date.parse(described.expires_at)).toBeGreaterThanOrEqual(Date.parse(session.expires_at));

    const anonymous = await call('/api/session');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await anonymous.json()).toMatchObject({ code: 'no_session', detail: 'Вы не вошли в систему или сеанс истёк. Войдите снова.' });

    const madeUp = await call('/api/session', { cookie: `esc_session=${randomBytes(32).toString('base64url')}` });
    expect(madeUp.status).toBe(401);
    expect(cookieOf(madeUp)).toMatch(/^esc_session=;.*Expires=Thu, 01 Jan 1970/);
  });

  test('When the password is wrong, then sign-in answers 401 invalid_credentials and sets no cookie', async () => {
    const res = await call('/api/session', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'citizen-ivanova', password: 'wrong' }),
    });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ code: 'invalid_credentials' });
    expect(cookieOf(res)).toBeUndefined();
  });

  test('When sign-in comes from another site, then it is refused with csrf_failed', async () => {
    const res = await call('/api/session', {
      method: 'POST',
      origin: 'https://evil.example',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'citizen-ivanova', password: 'demo' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'csrf_failed', detail: SECURITY_DETAIL });
    expect(cookieOf(res)).toBeUndefined();
  });

  test('When the session is refreshed, then expires_at moves on and services get a new token', async () => {
    const { cookie, session } = await signIn();
    await call('/api/registry/v1/me', { cookie });
    const before = lastSeen().headers.authorization;
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const refused = await call('/api/session/refresh', { method: 'POST', cookie });
    expect(refused.status).toBe(403);

    const res = await call('/api/session/refresh', { method: 'POST', cookie, csrf: session.csrf_token });
    expect(res.status).toBe(200);
    const refreshed = (await res.json()) as SessionBody;
    expect(Date.parse(refreshed.expires_at)).toBeGreaterThan(Date.parse(session.expires_at));
    expect(refreshed.csrf_token).toBe(session.csrf_token);
    expect(cookiePair(cookieOf(res)!)).toBe(cookie);

    await call('/api/registry/v1/me', { cookie });
    expect(lastSeen().headers.authorization).toMatch(/^Bearer eyJ/);
    expect(lastSeen().headers.authorization).not.toBe(before);
    expect(Date.parse(((await (await call('/api/session', { cookie })).json()) as SessionBody).expires_at)).toBeGreaterThanOrEqual(Date.parse(refreshed.expires_at));
  });

  test('When the person signs out, then the cookie opens nothing any more', async () => {
    const { cookie, session } = await signIn();
    const id = cookie.slice('esc_session='.length);

    const res = await call('/api/session', { method: 'DELETE', cookie, csrf: session.csrf_token });
    expect(res.status).toBe(204);
    expect(cookieOf(res)).toMatch(/^esc_session=;.*Expires=Thu, 01 Jan 1970/);
    expect(await redis.exists(`${SESSION_PREFIX}${id}`)).toBe(0);

    expect((await call('/api/session', { cookie })).status).toBe(401);
    expect((await call('/api/session/refresh', { method: 'POST', cookie, csrf: session.csrf_token })).status).toBe(401);
    await call('/api/registry/v1/me', { cookie });
    expect(lastSeen().headers.authorization).toBeUndefined();
  });

  test('When demo sign-in is on, then the sign-in page gets the demo users without secrets', async () => {
    const res = await call('/api/session/demo-users');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { enabled: boolean; items: Array<Record<string, unknown>> };
    expect(body.enabled).toBe(true);
    expect(body.items).toContainEqual({ username: 'citizen-ivanova', name: 'Иванова Мария Петровна', roles: ['citizen'], region_code: '73' });
    expect(body.items).toContainEqual(expect.objectContaining({ username: 'zabota-admin', provider_id: '6e9de740-d447-49a2-a48f-a219e95a9be5' }));
    expect(body.items.filter((item) => 'password' in item || 'snils' in item)).toEqual([]);
  });

  test('When demo sign-in is off, then the list is empty and sign-in answers 403 demo_sign_in_disabled', async () => {
    const off = await startGateway({ DEMO_SIGN_IN: false });
    expect(await (await fetch(`${off.url}/api/session/demo-users`)).json()).toEqual({ enabled: false, items: [] });
    const res = await fetch(`${off.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: off.url },
      body: JSON.stringify({ username: 'citizen-ivanova', password: 'demo' }),
    });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'demo_sign_in_disabled' });
  });
});

describe('proxy to the services', () => {
  test('When a signed-in page calls a service, then it gets the session token in place of the cookie', async () => {
    const { cookie } = await signIn();
    const res = await call('/api/registry/v1/providers?region_code=73&q=%D0%B7', {
      cookie: `${cookie}; theme=dark`,
      headers: { authorization: 'Bearer forged', accept: 'application/json' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true });

    const request = lastSeen();
    expect(request.method).toBe('GET');
    expect(request.url).toBe('/v1/providers?region_code=73&q=%D0%B7');
    expect(request.headers.cookie).toBeUndefined();
    expect(request.headers['x-csrf-token']).toBeUndefined();
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const principal = await createJwtVerifier({ jwksUri: `${gateway.url}/.well-known/jwks.json`, issuer: 'esc-gateway', audience: 'esc-marketplace' }).verify(token!);
    expect(principal).toMatchObject({ subject: IVANOVA_ID, kind: 'user', roles: ['citizen'], snils: '11223344595' });
  });

  test('When an anonymous page calls a public endpoint, then it passes without any Authorization', async () => {
    const res = await call('/api/registry/v1/providers', { headers: { authorization: 'Bearer forged' } });
    expect(res.status).toBe(200);
    expect(lastSeen().headers.authorization).toBeUndefined();
    expect(lastSeen().url).toBe('/v1/providers');
  });

  test('When a signed-in POST has no X-CSRF-Token, then it is refused with 403 csrf_failed before the service', async () => {
    const { cookie } = await signIn();
    const res = await call('/api/registry/v1/providers', { method: 'POST', cookie, headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'csrf_failed', detail: SECURITY_DETAIL });
    const wrong = await call('/api/registry/v1/providers', { method: 'PATCH', cookie, csrf: 'x'.repeat(43), body: '{}' });
    expect(wrong.status).toBe(403);
    expect(seen).toHaveLength(0);
  });

  test('When a POST comes from another origin or names none, then it is refused even with the right token', async () => {
    const { cookie, session } = await signIn();
    const post = (origin: string | null, headers: Record<string, string> = {}) =>
      call('/api/registry/v1/providers', { method: 'POST', cookie, csrf: session.csrf_token, origin, headers: { 'content-type': 'application/json', ...headers }, body: '{}' });

    const foreign = await post('https://evil.example');
    expect(foreign.status).toBe(403);
    expect(await foreign.json()).toMatchObject({ code: 'csrf_failed' });
    expect((await post(gateway.url.replace('127.0.0.1', 'localhost'))).status).toBe(403);
    expect((await post('null')).status).toBe(403);
    expect((await post(null)).status).toBe(403);
    expect((await post(null, { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await post(null, { referer: 'https://evil.example/page' })).status).toBe(403);
    expect((await call('/api/session', { method: 'DELETE', cookie, csrf: session.csrf_token, origin: 'https://evil.example' })).status).toBe(403);
    expect(seen).toHaveLength(0);
    expect((await call('/api/session', { cookie })).status).toBe(200);
  });

  test('When a POST carries the right origin and token, then its JSON body reaches the service byte for byte', async () => {
    const { cookie, session } = await signIn();
    const body = '{ "name" : "Забота",\n  "amount": "1500.00" }';
    const res = await call('/api/registry/v1/providers', { method: 'POST', cookie, csrf: session.csrf_token, headers: { 'content-type': 'application/json' }, body });
    expect(res.status).toBe(200);
    expect(lastSeen()).toMatchObject({ method: 'POST', url: '/v1/providers' });
    expect(lastSeen().body.toString('utf8')).toBe(body);
    expect(lastSeen().headers.authorization).toMatch(/^Bearer eyJ/);
  });

  test('When the origin is shown by Sec-Fetch-Site or Referer instead of Origin, then the request passes', async () => {
    const { cookie, session } = await signIn();
    const bySite = await call('/api/registry/v1/acts', { method: 'PUT', cookie, csrf: session.csrf_token, origin: null, headers: { 'sec-fetch-site': 'same-origin' } });
    expect(bySite.status).toBe(200);
    const byReferer = await call('/api/registry/v1/acts', { method: 'DELETE', cookie, csrf: session.csrf_token, origin: null, headers: { referer: `${gateway.url}/provider/acts` } });
    expect(byReferer.status).toBe(200);
    expect(seen.map((s) => s.method)).toEqual(['PUT', 'DELETE']);
  });

  test('When a page uploads CSV or multipart, then the body passes unchanged with its content type', async () => {
    const { cookie, session } = await signIn('caseworker-73');
    const csv = Buffer.from('snils;volume\n11223344595;12\n', 'utf8');
    const csvRes = await call('/api/registry/v1/imports', { method: 'POST', cookie, csrf: session.csrf_token, headers: { 'content-type': 'text/csv; charset=utf-8' }, body: csv });
    expect(csvRes.status).toBe(200);
    expect(lastSeen().headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(lastSeen().body.equals(csv)).toBe(true);

    const boundary = `----esc${randomUUID()}`;
    const file = randomBytes(300_000);
    const multipart = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="document"; filename="license.pdf"\r\nContent-Type: application/pdf\r\n\r\n`),
      file,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const multipartRes = await call('/api/registry/v1/documents', {
      method: 'POST',
      cookie,
      csrf: session.csrf_token,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: multipart,
    });
    expect(multipartRes.status).toBe(200);
    expect(createHash('sha256').update(lastSeen().body).digest('hex')).toBe(createHash('sha256').update(multipart).digest('hex'));
  });

  test('When a service answers with a PDF, then the browser gets exactly its bytes and headers', async () => {
    const res = await call('/api/registry/v1/reports/report.pdf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="report.pdf"');
    expect(Buffer.from(await res.arrayBuffer()).equals(BINARY)).toBe(true);
  });

  test('When a service answers, then its status passes and its CORS headers and cookies do not', async () => {
    const res = await call('/api/registry/v1/missing');
    expect(res.status).toBe(404);
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  test('When the service does not answer, then the gateway says 502 service_unavailable', async () => {
    const res = await call('/api/ledger/v1/accounts');
    expect(res.status).toBe(502);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('service_unavailable');
    expect(problem.detail).toMatch(/^Сервис учёта средств сейчас не отвечает/);
  });

  test('When the address names no service, then it answers 404 not_found', async () => {
    const res = await call('/api/payments/v1/anything', { headers: { accept: 'text/html' } });
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ code: 'not_found' });
  });
});

describe('web app', () => {
  test('When a page address is opened, then index.html answers it; API addresses never get it', async () => {
    const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };
    for (const route of ['/', '/citizen/certificates', '/provider/acts/42']) {
      const res = await call(route, { origin: null, headers: html });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(await res.text()).toContain('<div id="root">');
    }
    const api = await call('/api/registry/v1/providers', { origin: null, headers: html });
    expect(await api.json()).toEqual({ ok: true });
    for (const route of ['/v1/nothing', '/health/nothing', '/.well-known/nothing', '/assets/missing.js']) {
      const res = await call(route, { origin: null, headers: html });
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    }
    expect((await call('/citizen/certificates', { origin: null, headers: { accept: 'application/json' } })).status).toBe(404);
  });

  test('When a hashed asset is fetched, then it is cached for a year', async () => {
    const res = await call('/assets/index-3f9a1c.js', { origin: null });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await res.text()).toBe('console.log("app");');
  });

  test('When anything is served, then a CSP naming no other host and the other security headers come with it', async () => {
    for (const res of [await call('/', { origin: null }), await call('/api/session'), await call('/api/registry/v1/providers')]) {
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("script-src 'self'");
      expect(csp).toContain("connect-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(csp).not.toMatch(/https?:\/\//);
      expect(csp).not.toContain('upgrade-insecure-requests');
      expect(res.headers.get('referrer-policy')).toBe('same-origin');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      const names: string[] = [];
      res.headers.forEach((_value, name) => names.push(name));
      expect(names.filter((name) => name.startsWith('access-control-'))).toEqual([]);
    }
  });

  test('When the app is not built, then / answers 503 web_app_not_built and the APIs still work', async () => {
    const unbuilt = await startGateway({ WEB_DIST_DIR: path.join(tempDir, 'no-such-dist') });
    const res = await fetch(`${unbuilt.url}/`);
    expect(res.status).toBe(503);
    const problem = (await res.json()) as { code: string; detail: string };
    expect(problem.code).toBe('web_app_not_built');
    expect(problem.detail).toContain('pnpm --filter web build');
    expect((await fetch(`${unbuilt.url}/api/session/demo-users`)).status).toBe(200);
  });
});

describe('behind a TLS-terminating proxy', () => {
  test('When trust proxy is on and the request came over https, then the cookie is Secure', async () => {
    const behind = await startGateway({ TRUST_PROXY: true });
    const host = new URL(behind.url).host;
    const res = await fetch(`${behind.url}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https', origin: `https://${host}` },
      body: JSON.stringify({ username: 'citizen-ivanova', password: 'demo' }),
    });
    expect(res.status).toBe(200);
    expect(cookieOf(res)).toMatch(/; Secure/);
  });

  test('When trust proxy is off, then X-Forwarded-Proto is ignored: no Secure cookie, and an https Origin is foreign', async () => {
    const host = new URL(gateway.url).host;
    const post = (origin: string) =>
      call('/api/session', {
        method: 'POST',
        origin,
        headers: { 'content-type': 'application/json', 'x-forwarded-proto': 'https' },
        body: JSON.stringify({ username: 'citizen-ivanova', password: 'demo' }),
      });
    expect((await post(`https://${host}`)).status).toBe(403);
    const res = await post(gateway.url);
    expect(res.status).toBe(200);
    expect(cookieOf(res)).not.toMatch(/; Secure/);
  });
});
