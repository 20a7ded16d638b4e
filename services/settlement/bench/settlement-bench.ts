/**
 * pnpm bench:settlement — one period with 1,000,000 posted redemption lines over 5,000 compensation
 * providers: from the run's start to the approved batch (ledger postings included) and the three
 * exported payment files. Seeding (lines straight into settlement's table, payables funded in the
 * ledger) is not timed. Gateway, ledger and settlement run in this process, so peak_rss_mb counts
 * all three. Ends with `RESULT case=settlement lines=<n> seconds=<n> peak_rss_mb=<n>`.
 */
import { randomUUID } from 'node:crypto';
import { LedgerClient } from '@esc/ledger-client';
import { createTestDatabase, httpClient, startTestGateway } from '@esc/testing';
import { createLedgerService } from 'ledger/src/app';
import { createSettlementService } from '../src/app';
import { StaticProviderDirectory } from '../src/clients/provider-directory';
import { expectedEarnings, fundPayables, seedRedemptions, syntheticProviders } from '../test/seed';

const LINES = Number(process.env.BENCH_LINES ?? 1_000_000);
const PROVIDERS = Number(process.env.BENCH_PROVIDERS ?? 5_000);
const PERIOD = '2026-10';
const PROGRAMME = '5f0c8f52-8d1e-4a3c-9d0b-73000000be01';

const log = (message: string) => console.log(`[bench] ${message}`);

async function until<T>(what: string, probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 600_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main() {
  const db = await createTestDatabase('settlement_bench');
  const gateway = await startTestGateway();
  const tag = randomUUID().slice(0, 8);
  const ledgerService = await createLedgerService({ DATABASE_URL: db.url, JWKS_URL: gateway.jwksUrl, LOG_LEVEL: 'warn', QUEUE_PREFIX: `bench-${tag}`, JOBS_ENABLED: false });
  const ledgerUrl = (await ledgerService.start(0)).url;
  const providers = syntheticProviders(PROVIDERS, tag);
  const service = await createSettlementService(
    {
      DATABASE_URL: db.url,
      JWKS_URL: gateway.jwksUrl,
      GATEWAY_URL: gateway.url,
      LEDGER_URL: ledgerUrl,
      LOG_LEVEL: 'warn',
      QUEUE_PREFIX: `bench-${tag}`,
      INBOX_QUEUE: `settlement-inbox-${tag}`,
      JOBS_QUEUE: `settlement-jobs-${tag}`,
      RECOVERY_EVERY_MS: 1000,
    },
    { providerDirectory: new StaticProviderDirectory(providers) },
  );
  const { url } = await service.start(0);
  let failed = false;
  try {
    log(`seeding ${LINES} lines over ${PROVIDERS} providers`);
    let started = Date.now();
    await seedRedemptions(db.url, providers, LINES, PERIOD, PROGRAMME);
    log(`lines seeded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    started = Date.now();
    const earned = expectedEarnings(PROVIDERS, LINES);
    await fundPayables(new LedgerClient({ baseUrl: ledgerUrl, token: () => gateway.serviceToken('certificates') }), providers, earned);
    log(`payables funded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const total = earned.reduce((s, e) => s + e, 0n);
    const totalText = `${total / 100n}.${String(total % 100n).padStart(2, '0')}`;

    const a = httpClient(url, await gateway.signIn('finance-73-a'));
    const b = httpClient(url, await gateway.signIn('finance-73-b'));
    const bToken = await gateway.signIn('finance-73-b');
    await a.call('PUT', `/v1/payout-limits/${PROGRAMME}/${PERIOD}`, { region_code: '73', amount: totalText });

    let peakRss = process.memoryUsage().rss;
    const sampler = setInterval(() => {
      peakRss = Math.max(peakRss, process.memoryUsage().rss);
    }, 50);
    const t0 = process.hrtime.bigint();
    const run = await a.post('/v1/runs', { region_code: '73', period: PERIOD });
    if (run.status !== 202) throw new Error(`run: ${run.status} ${JSON.stringify(run.body)}`);
    const completed = await until('run', async () => (await a.get(`/v1/runs/${run.body.id}`)).body, (r) => r.status === 'completed');
    const tRun = process.hrtime.bigint();
    const batch = await a.post(`/v1/runs/${run.body.id}/batch`);
    if (batch.status !== 201) throw new Error(`batch: ${batch.status} ${JSON.stringify(batch.body)}`);
    const tBatch = process.hrtime.bigint();
    const approve = await b.post(`/v1/batches/${batch.body.id}/approve`);
    if (approve.status !== 202) throw new Error(`approve: ${approve.status} ${JSON.stringify(approve.body)}`);
    await until('approval', async () => (await b.get(`/v1/batches/${batch.body.id}`)).body.status, (s) => s === 'approved');
    const tApproved = process.hrtime.bigint();
    const sizes: Record<string, number> = {};
    for (const format of ['1c', 'pain001', 'csv']) {
      const res = await fetch(`${url}/v1/batches/${batch.body.id}/export?format=${format}`, { headers: { authorization: `Bearer ${bToken}` } });
      if (!res.ok) throw new Error(`export ${format}: ${res.status}`);
      sizes[format] = (await res.arrayBuffer()).byteLength;
    }
    const t1 = process.hrtime.bigint();
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    const s = (from: bigint, to: bigint) => (Number(to - from) / 1e9).toFixed(2);
    log(`run ${s(t0, tRun)} s (${completed.totals.redemptions} lines, ${completed.totals.providers} providers, carried ${completed.totals.carried_redemptions})`);
    log(`batch formed ${s(tRun, tBatch)} s (${batch.body.payouts} payouts, ${batch.body.total}); approved and posted ${s(tBatch, tApproved)} s; exports ${s(tApproved, t1)} s (${JSON.stringify(sizes)})`);
    if (completed.totals.redemptions !== LINES || batch.body.total !== totalText || batch.body.payouts !== PROVIDERS) {
      throw new Error(`unexpected totals: ${JSON.stringify({ run: completed.totals, batch: batch.body })}`);
    }
    const invariants = await (await fetch(`${ledgerUrl}/v1/audit/invariants`, { headers: { authorization: `Bearer ${await gateway.serviceToken('audit-tool')}` } })).json() as { ok: boolean };
    log(`ledger invariants ok: ${invariants.ok}`);
    if (!invariants.ok) throw new Error('ledger invariants broken');
    console.log(`RESULT case=settlement lines=${LINES} seconds=${s(t0, t1)} peak_rss_mb=${Math.round(peakRss / 1024 / 1024)}`);
  } catch (err) {
    failed = true;
    console.error(err);
  } finally {
    await service.stop();
    await ledgerService.stop();
    await gateway.stop();
    await db.drop();
  }
  process.exit(failed ? 1 : 0);
}

void main();
