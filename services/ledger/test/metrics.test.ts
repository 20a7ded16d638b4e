import { createRedis, Queue } from '@esc/service-kit';
import { LEDGER_QUEUE } from '../src/app';
import { startLedger, type LedgerHarness } from './harness';

let ledger: LedgerHarness;
let prometheus: string;

beforeAll(async () => {
  ledger = await startLedger('metrics');
  prometheus = await ledger.tokenFor('prometheus');
});
afterAll(async () => {
  await ledger?.stop();
});

async function scrape(token: string | null = prometheus): Promise<{ status: number; type: string | null; text: string }> {
  const res = await fetch(`${ledger.url}/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { status: res.status, type: res.headers.get('content-type'), text: await res.text() };
}

/** The value of one sample, labels matched in any order. */
function sample(text: string, name: string, labels: Record<string, string>): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    const set = line.slice(name.length + 1, line.lastIndexOf('}'));
    if (Object.entries(labels).every(([key, value]) => set.includes(`${key}="${value}"`))) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

describe('GET /metrics', () => {
  it('When Prometheus scrapes with a metrics:read token, then it gets the text format with the HTTP, queue and invariant metrics', async () => {
    await ledger.invariantsOk();
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.type).toContain('text/plain');
    for (const name of ['http_requests_total', 'http_request_duration_seconds', 'http_server_errors_total', 'bullmq_jobs', 'bullmq_oldest_waiting_job_age_seconds', 'ledger_invariants_last_check_timestamp_seconds', 'ledger_invariants_last_check_ok', 'process_cpu_seconds_total']) {
      expect(res.text).toContain(`# TYPE ${name} `);
    }
    expect(res.text).toMatch(/^ledger_invariants_last_check_ok\{service="ledger"\} 1$/m);
  });

  it('When a request is served, then its counter grows under the route pattern, never the id in the URL (Express and fast routes)', async () => {
    const account = await ledger.openAccount();
    const labels = { method: 'GET', route: '/v1/accounts/:id', status_class: '2xx' };
    const before = sample((await scrape()).text, 'http_requests_total', labels);
    const fastBefore = sample((await scrape()).text, 'http_requests_total', { method: 'POST', route: '/v1/transfers', status_class: '2xx' });
    expect((await ledger.reader.get(`/v1/accounts/${account}`)).status).toBe(200);
    await ledger.fund(account, '1.00');
    const text = (await scrape()).text;
    expect(sample(text, 'http_requests_total', labels)).toBe(before + 1);
    expect(sample(text, 'http_requests_total', { method: 'POST', route: '/v1/transfers', status_class: '2xx' })).toBe(fastBefore + 1);
    expect(text).not.toContain(account);
  });

  it('When the caller has no token or a token without metrics:read, then /metrics is refused', async () => {
    expect((await scrape(null)).status).toBe(401);
    const other = await scrape(await ledger.tokenFor('audit-tool'));
    expect(other.status).toBe(403);
    expect(other.text).not.toContain('http_requests_total');
  });

  it('When a job waits in the ledger queue, then the queue gauges show it on the next scrape', async () => {
    const redis = createRedis(ledger.service.config.REDIS_URL);
    const queue = new Queue(LEDGER_QUEUE, { connection: redis, prefix: ledger.service.config.QUEUE_PREFIX });
    try {
      await queue.add('expire-holds', {}, { timestamp: Date.now() - 5000 });
      const text = (await scrape()).text;
      expect(sample(text, 'bullmq_jobs', { queue: LEDGER_QUEUE, state: 'waiting' })).toBe(1);
      expect(sample(text, 'bullmq_oldest_waiting_job_age_seconds', { queue: LEDGER_QUEUE })).toBeGreaterThanOrEqual(4);
    } finally {
      await queue.obliterate({ force: true });
      await queue.close();
      await redis.quit();
    }
  });
});
