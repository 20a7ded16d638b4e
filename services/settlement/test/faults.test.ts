import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { Redis } from 'ioredis';
import { LedgerClient, ledgerAccountIds } from '@esc/ledger-client';
import { httpClient, waitForHealth } from '@esc/testing';
import { startSettlement, type SettlementHarness } from './harness';
import { expectedEarnings, fundPayables, seedRedemptions, syntheticProviders } from './seed';

const PERIOD = '2026-10';
const PROGRAMME = '5f0c8f52-8d1e-4a3c-9d0b-73000000fa01';

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function startRedis(port: number): ChildProcess {
  return spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
}

async function redisUp(url: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000, commandTimeout: 1000 });
    try {
      await probe.connect();
      if ((await probe.ping()) === 'PONG') return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    } finally {
      probe.disconnect();
    }
  }
  throw new Error(`redis at ${url} did not start`);
}

async function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise((resolve) => child.once('exit', resolve));
}

async function sql<R = any>(databaseUrl: string, text: string, values: unknown[] = []): Promise<R[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as R[];
  } finally {
    await client.end();
  }
}

/** The ledger and settlement agree: one approval transfer per payout, nothing left in payables, invariants hold. */
async function assertNoPayoutDuplicatedOrLost(h: SettlementHarness, databaseUrl: string, batchId: string, earned: bigint[], providerIds: string[]) {
  const payouts = await sql(databaseUrl, `select provider_id, amount::text, status from settlement.payouts where batch_id = $1`, [batchId]);
  expect(payouts).toHaveLength(providerIds.length);
  expect(payouts.every((p) => p.status === 'in_transit')).toBe(true);
  const total = earned.reduce((s, e) => s + e, 0n);
  const transfers = await sql(
    databaseUrl,
    `select count(*)::int as n, sum(amount)::text as total from ledger.transfers where code = 'payout_batch_approved' and rejection is null`,
  );
  expect(transfers[0].n).toBe(providerIds.length);
  const inTransit = await h.balance(ledgerAccountIds.payoutsInTransit(batchId));
  expect(inTransit).toBe(`${total / 100n}.${String(total % 100n).padStart(2, '0')}`);
  expect(transfers[0].total).toBe(inTransit);
  // Every payable paid out exactly once: a doubled posting would leave it negative, a lost one positive.
  const payables = await sql(
    databaseUrl,
    `select count(*)::int as n from ledger.accounts where code = 'provider_payable' and credits_posted - debits_posted <> 0`,
  );
  expect(payables[0].n).toBe(0);
  expect(await h.invariantsOk()).toBe(true);
}

describe('faults', () => {
  test('When Redis is restarted (and loses every job) during a run and again during the batch posting, then the run and the batch complete once', async () => {
    const port = await freePort();
    const redisUrl = `redis://127.0.0.1:${port}`;
    let redis = startRedis(port);
    await redisUp(redisUrl);
    const h = await startSettlement('settlement_fault_redis', { REDIS_URL: redisUrl });
    try {
      const providers = syntheticProviders(200, 'redis');
      providers.forEach((p) => h.directory.put(p));
      const lines = 50_000;
      await seedRedemptions(h.db.url, providers, lines, PERIOD, PROGRAMME);
      const earned = expectedEarnings(providers.length, lines);
      const ledger = new LedgerClient({ baseUrl: h.ledgerUrl, token: () => h.gateway.serviceToken('certificates') });
      await fundPayables(ledger, providers, earned);

      const a = await h.as('finance-73-a');
      const b = await h.as('finance-73-b');
      expect((await a.call('PUT', `/v1/payout-limits/${PROGRAMME}/${PERIOD}`, { region_code: '73', amount: '100000000.00' })).status).toBe(200);
      // Hold the region's run lock so that the run is certainly in progress while Redis goes away.
      const holder = new Client({ connectionString: h.db.url });
      await holder.connect();
      await holder.query('begin');
      await holder.query(`select pg_advisory_xact_lock(hashtext('settlement-run/73'))`);
      const started = await a.post('/v1/runs', { region_code: '73', period: PERIOD });
      expect(started.status).toBe(202);
      await h.waitFor('run running', async () => (await a.get(`/v1/runs/${started.body.id}`)).body.status, (s) => s === 'running', 20_000);

      redis.kill('SIGKILL');
      await exited(redis);
      await new Promise((r) => setTimeout(r, 1000));
      redis = startRedis(port);
      await redisUp(redisUrl);
      // The restarted Redis is empty: the run's job is gone; the recovery pass queues it again.
      await new Promise((r) => setTimeout(r, 1500));
      expect((await a.get(`/v1/runs/${started.body.id}`)).body.status).toBe('running');
      await holder.query('commit');
      await holder.end();

      const run = await h.waitFor('run completed', async () => (await a.get(`/v1/runs/${started.body.id}`)).body, (r) => r.status === 'completed', 60_000);
      expect(run.totals.redemptions).toBe(lines);
      expect(run.totals.providers).toBe(providers.length);
      const unsettled = await sql(h.db.url, `select count(*)::int as n from settlement.unsettled`);
      expect(unsettled[0].n).toBe(0);
      const batch = await a.post(`/v1/runs/${started.body.id}/batch`);
      expect(batch.status).toBe(201);
      const approved = await b.post(`/v1/batches/${batch.body.id}/approve`);
      expect(approved.status).toBe(202);
      redis.kill('SIGKILL');
      await exited(redis);
      await new Promise((r) => setTimeout(r, 500));
      redis = startRedis(port);
      await redisUp(redisUrl);
      await h.waitFor('batch approved', async () => (await b.get(`/v1/batches/${batch.body.id}`)).body.status, (s) => s === 'approved', 60_000);
      await assertNoPayoutDuplicatedOrLost(h, h.db.url, batch.body.id, earned, providers.map((p) => p.id));
    } finally {
      await h.stop();
      redis.kill('SIGTERM');
      await exited(redis);
    }
  }, 300_000);

  test('When the settlement process is killed (SIGKILL) while it posts a batch, then a new process resumes and every payout is posted exactly once', async () => {
    const h = await startSettlement('settlement_fault_kill', { POSTING_CHUNK: 2 });
    const children: ChildProcess[] = [];
    try {
      const providers = syntheticProviders(400, 'kill');
      providers.forEach((p) => h.directory.put(p));
      const lines = 8_000;
      await seedRedemptions(h.db.url, providers, lines, PERIOD, PROGRAMME);
      const earned = expectedEarnings(providers.length, lines);
      const ledger = new LedgerClient({ baseUrl: h.ledgerUrl, token: () => h.gateway.serviceToken('certificates') });
      await fundPayables(ledger, providers, earned);

      const a = await h.as('finance-73-a');
      await a.call('PUT', `/v1/payout-limits/${PROGRAMME}/${PERIOD}`, { region_code: '73', amount: '100000000.00' });
      const run = await a.post('/v1/runs', { region_code: '73', period: PERIOD });
      await h.waitFor('run completed', async () => (await a.get(`/v1/runs/${run.body.id}`)).body.status, (s) => s === 'completed');
      const batch = (await a.post(`/v1/runs/${run.body.id}/batch`)).body;
      expect(batch.payouts).toBe(providers.length);
      // From here on the settlement process is a child that can be killed.
      await h.stopSettlement();

      const spawnSettlement = async () => {
        const port = await freePort();
        const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), LOG_LEVEL: 'warn', POSTING_CHUNK: '2', JOB_LOCK_MS: '2000', RECOVERY_EVERY_MS: '300' };
        for (const [key, value] of Object.entries(h.config)) if (value !== undefined && !(key in { POSTING_CHUNK: 1, JOB_LOCK_MS: 1 })) env[key] = String(value);
        env.LOG_LEVEL = 'warn';
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: join(__dirname, '..'), env, stdio: ['ignore', 'ignore', 'inherit'] });
        children.push(child);
        await waitForHealth(`http://127.0.0.1:${port}`, child, '/health/ready', 30_000);
        return { child, url: `http://127.0.0.1:${port}` };
      };
      const first = await spawnSettlement();
      const b = httpClient(first.url, await h.gateway.signIn('finance-73-b'));
      expect((await b.post(`/v1/batches/${batch.id}/approve`)).status).toBe(202);
      const postedBeforeKill = await h.waitFor(
        'some payouts posted',
        async () => (await sql(h.db.url, `select count(*)::int as n from settlement.payouts where batch_id = $1 and status = 'in_transit'`, [batch.id]))[0].n,
        (n) => n >= 20,
        30_000,
      );
      first.child.kill('SIGKILL');
      await exited(first.child);
      const atKill = (await sql(h.db.url, `select status from settlement.payout_batches where id = $1`, [batch.id]))[0].status;
      expect(atKill).toBe('approving');
      expect(postedBeforeKill).toBeLessThan(providers.length);
      const second = await spawnSettlement();
      await h.waitFor(
        'batch approved by the second process',
        async () => (await sql(h.db.url, `select status from settlement.payout_batches where id = $1`, [batch.id]))[0].status,
        (s) => s === 'approved',
        60_000,
      );
      await assertNoPayoutDuplicatedOrLost(h, h.db.url, batch.id, earned, providers.map((p) => p.id));
      second.child.kill('SIGTERM');
      await exited(second.child);
    } finally {
      for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await h.stop();
    }
  }, 300_000);
});
