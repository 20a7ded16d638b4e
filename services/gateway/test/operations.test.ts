import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { createGateway, type Gateway } from '../src/app';

const SESSION_PREFIX = `esc:test-session:${randomUUID()}:`;
const QUEUE_PREFIX = `test-${randomUUID().slice(0, 8)}`;

let tempDir: string;
let gateway: Gateway;
let url: string;
let upstream: Server;
let upstreamSaw: string[] = [];
let redis: Redis;

beforeAll(async () => {
  tempDir = await mkdtemp(path.join(tmpdir(), 'esc-ops-'));
  upstream = createServer((req, res) => {
    upstreamSaw.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/plain' }).end('http_requests_total 1\n');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  gateway = await createGateway({
    JWT_PRIVATE_KEY_FILE: path.join(tempDir, 'signing.pem'),
    LOG_LEVEL: 'silent',
    SESSION_PREFIX,
    QUEUE_PREFIX,
    WEB_DIST_DIR: tempDir,
    DEMO_SIGN_IN: true,
    LEDGER_URL: upstreamUrl,
  });
  url = (await gateway.start(0)).url;
  redis = new Redis(gateway.config.REDIS_URL, { maxRetriesPerRequest: null });
});

afterAll(async () => {
  await gateway?.stop();
  await new Promise((resolve) => upstream.close(resolve));
  const keys = await redis.keys(`${SESSION_PREFIX}*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
  await rm(tempDir, { recursive: true, force: true });
});

async function sessionCookie(username: string): Promise<string> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: url },
    body: JSON.stringify({ username, password: 'demo' }),
  });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie().find((c) => c.startsWith('esc_session='))!.split(';')[0]!;
}

describe('The queue dashboard at /admin/queues', () => {
  it('When an administrator opens it, then the bull-board page and its API answer under the gateway CSP and list every queue', async () => {
    const queue = new Queue('ledger-jobs', { connection: redis, prefix: QUEUE_PREFIX });
    try {
      await queue.add('expire-holds', {});
      const cookie = await sessionCookie('admin');
      const page = await fetch(`${url}/admin/queues`, { headers: { cookie } });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      const html = await page.text();
      expect(html).toContain('<div id="root">');
      const csp = page.headers.get('content-security-policy')!;
      expect(csp).toContain("script-src 'self'");
      expect(csp).not.toMatch(/https?:/);
      const script = /src="(static\/js\/main[^"]+)"/.exec(html)![1]!;
      const asset = await fetch(`${url}/admin/queues/${script}`, { headers: { cookie } });
      expect(asset.status).toBe(200);
      const api = await fetch(`${url}/admin/queues/api/queues`, { headers: { cookie } });
      expect(api.status).toBe(200);
      const body = (await api.json()) as { queues: { name: string; counts: Record<string, number> }[] };
      expect(body.queues.map((q) => q.name).sort()).toEqual(gateway.config.DASHBOARD_QUEUES.slice().sort());
      expect(body.queues.find((q) => q.name === 'ledger-jobs')!.counts.waiting).toBe(1);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
    }
  });

  it('When a citizen opens it, then 403 problem+json in Russian', async () => {
    const res = await fetch(`${url}/admin/queues`, { headers: { cookie: await sessionCookie('citizen-ivanova') } });
    expect(res.status).toBe(403);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(await res.json()).toMatchObject({ status: 403, code: 'forbidden', detail: 'Панель очередей доступна только администратору.' });
  });

  it('When nobody is signed in, then 401 problem+json in Russian, for the page and its API alike', async () => {
    for (const route of ['/admin/queues', '/admin/queues/api/queues']) {
      const res = await fetch(`${url}${route}`);
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(await res.json()).toMatchObject({ status: 401, code: 'unauthenticated', detail: 'Войдите в систему, чтобы открыть панель очередей.' });
    }
  });

  it('When an administrator action comes from another origin, then it is refused', async () => {
    const cookie = await sessionCookie('admin');
    const res = await fetch(`${url}/admin/queues/api/queues/ledger-jobs/retry/failed`, { method: 'PUT', headers: { cookie, origin: 'https://evil.example' } });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'csrf_failed' });
  });
});

describe('Metrics are not public', () => {
  it.each(['/api/ledger/metrics', '/api/ledger/METRICS', '/api/ledger//metrics/', '/api/ledger/%6Detrics?x=1'])('When the browser asks for %s, then the proxy answers 404 and never forwards it', async (route) => {
    upstreamSaw = [];
    const res = await fetch(`${url}${route}`, { headers: { cookie: await sessionCookie('admin') } });
    expect(res.status).toBe(404);
    expect(upstreamSaw).toEqual([]);
  });

  it("When Prometheus scrapes the gateway's own /metrics, then only a metrics:read token gets it", async () => {
    expect((await fetch(`${url}/metrics`)).status).toBe(401);
    const token = await fetch(`${url}/v1/auth/service-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ client_id: 'prometheus', client_secret: 'dev-secret-prometheus' }),
    }).then(async (r) => ((await r.json()) as { access_token: string }).access_token);
    const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/http_requests_total\{[^}]*route="\/admin\/queues/);
  });
});
