import { startRegistry, type RegistryHarness } from './harness';

let registry: RegistryHarness;

beforeAll(async () => {
  registry = await startRegistry('metrics');
});
afterAll(async () => {
  await registry?.stop();
});

async function prometheusToken(): Promise<string> {
  const res = await fetch(`${registry.gatewayUrl}/v1/auth/service-token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ client_id: 'prometheus', client_secret: 'dev-secret-prometheus' }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

it('When Prometheus scrapes the registry, then it sees the outbox lag, its inbox queue and the public search under its route pattern', async () => {
  expect((await fetch(`${registry.url}/v1/providers`)).status).toBe(200);
  const res = await fetch(`${registry.url}/metrics`, { headers: { authorization: `Bearer ${await prometheusToken()}` } });
  expect(res.status).toBe(200);
  const text = await res.text();
  expect(text).toMatch(/^outbox_unpublished_events\{service="registry"\} \d+$/m);
  expect(text).toMatch(/^outbox_oldest_unpublished_age_seconds\{service="registry"\} [\d.]+$/m);
  expect(text).toMatch(/^bullmq_jobs\{[^}]*queue="registry-inbox-[0-9a-f]{8}"[^}]*\} \d+$/m);
  expect(text).toMatch(/^http_requests_total\{[^}]*route="\/v1\/providers"[^}]*\} \d+$/m);
  expect((await fetch(`${registry.url}/metrics`)).status).toBe(401);
});
