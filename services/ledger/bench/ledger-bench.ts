/**
 * pnpm bench:ledger — HTTP throughput of the ledger against the machine's commit speed.
 *
 * Baseline: pgbench -N -c 16 -j 2 -T 15 on a scratch database of the same PostgreSQL (what this
 * machine can commit). Cases: 64 HTTP clients posting single transfers over 10,000 accounts (spread),
 * and 64 clients all debiting one constrained account (hot). Each ends with a RESULT line.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { cpuBetween, createTestDatabase, httpClient, pgbenchBaseline, sampleCpu, startTestGateway, waitForHealth } from '@esc/testing';

const ROOT = join(__dirname, '..', '..', '..');
const ACCOUNTS = Number(process.env.BENCH_ACCOUNTS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const LEDGER_PORT = Number(process.env.BENCH_LEDGER_PORT ?? 4901);

const processes = {
  ledger: (c: string) => c.includes('services/ledger/src/main.ts'),
  postgres: (c: string) => c.startsWith('postgres: '),
  loadgen: (c: string) => c.includes('ledger-bench.ts'),
};

async function main() {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.TEST_DATABASE_ADMIN_URL = adminUrl;
  console.log('Baseline: pgbench -N -c 16 -j 2 -T 15 (scale 10) on the same PostgreSQL …');
  const pgbenchTps = pgbenchBaseline(adminUrl);
  console.log(`  pgbench_tps=${pgbenchTps.toFixed(0)}`);

  const db = await createTestDatabase('bench_ledger');
  const gateway = await startTestGateway();
  const ledgerUrl = `http://127.0.0.1:${LEDGER_PORT}`;
  const nodeArgs = (process.env.BENCH_LEDGER_NODE_ARGS ?? '--max-semi-space-size=32').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(ROOT, 'services/ledger/src/main.ts')], {
    env: {
      ...process.env,
      DATABASE_URL: db.url,
      JWKS_URL: gateway.jwksUrl,
      PORT: String(LEDGER_PORT),
      LOG_LEVEL: 'warn',
      QUEUE_PREFIX: `bench-${randomUUID().slice(0, 8)}`,
      DB_POOL_MAX: process.env.BENCH_DB_POOL_MAX ?? '10',
      TRANSFER_BATCHES_IN_FLIGHT: process.env.BENCH_IN_FLIGHT ?? '2',
      WEB_CONCURRENCY: process.env.BENCH_WEB_CONCURRENCY ?? '1',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const pg = new Client({ connectionString: db.url });
  try {
    await waitForHealth(ledgerUrl, child);
    await pg.connect();
    const token = await gateway.serviceToken('bench');
    const api = httpClient(ledgerUrl, token);

    console.log(`Setting up ${ACCOUNTS} certificate accounts, each funded with 1000.00 …`);
    const treasury = randomUUID();
    await api.post('/v1/accounts', { id: treasury, ledger: 'RUB', code: 'treasury_source', owner: { type: 'region', id: '73' }, region_code: '73' });
    const accounts = Array.from({ length: ACCOUNTS }, () => randomUUID());
    for (let i = 0; i < accounts.length; i += 64) {
      await Promise.all(
        accounts.slice(i, i + 64).map((id) =>
          api.post('/v1/accounts', { id, ledger: 'RUB', code: 'certificate', owner: { type: 'certificate', id }, region_code: '73' }),
        ),
      );
    }
    for (let i = 0; i < accounts.length; i += 8000) {
      const res = await api.post('/v1/transfers', {
        transfers: accounts.slice(i, i + 8000).map((id) => ({ id: randomUUID(), debit_account_id: treasury, credit_account_id: id, amount: '1000.00', code: 'fund' })),
      });
      if (res.body.failed !== 0) throw new Error(`funding failed: ${JSON.stringify(res.body).slice(0, 300)}`);
    }
    const hot = randomUUID();
    const hotFunding = '1000000.00';
    await api.post('/v1/accounts', { id: hot, ledger: 'RUB', code: 'certificate', owner: { type: 'certificate', id: 'hot' }, region_code: '73' });
    await api.post('/v1/transfers', { transfers: [{ id: randomUUID(), debit_account_id: treasury, credit_account_id: hot, amount: hotFunding, code: 'fund' }] });

    const pickAccount = () => accounts[Math.floor(Math.random() * accounts.length)]!;
    const cases: Array<{ name: string; make: () => object }> = [
      {
        name: 'spread',
        make: () => {
          const debit = pickAccount();
          let credit = pickAccount();
          while (credit === debit) credit = pickAccount();
          return { id: randomUUID(), debit_account_id: debit, credit_account_id: credit, amount: '0.01', code: 'bench' };
        },
      },
      { name: 'hot', make: () => ({ id: randomUUID(), debit_account_id: hot, credit_account_id: pickAccount(), amount: '1.00', code: 'bench' }) },
    ];

    const lines: string[] = [];
    for (const c of cases) {
      const before = await pg.query(`select count(*) filter (where rejection is null)::int as created, count(*) filter (where rejection is not null)::int as rejected from ledger.transfers where code = 'bench'`);
      const started = Date.now();
      const cpuBefore = Object.fromEntries(Object.entries(processes).map(([k, match]) => [k, sampleCpu(match)]));
      const result = await autocannon({
        url: `${ledgerUrl}/v1/transfers`,
        connections: CONNECTIONS,
        duration: DURATION_S,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        requests: [{ setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ transfers: [c.make()] }) }) }],
      });
      const seconds = (Date.now() - started) / 1000;
      const perRequest = (seconds: number) => ((seconds * 1e6) / Math.max(1, result.requests.total)).toFixed(0);
      const cpuPerTransfer = Object.entries(processes)
        .map(([k, match]) => {
          const [user, system] = cpuBetween(cpuBefore[k]!, sampleCpu(match));
          return `${k}=${perRequest(user + system)}µs (user ${perRequest(user)}, system ${perRequest(system)})`;
        })
        .join(' ');
      const after = await pg.query(`select count(*) filter (where rejection is null)::int as created, count(*) filter (where rejection is not null)::int as rejected from ledger.transfers where code = 'bench'`);
      const created = after.rows[0].created - before.rows[0].created;
      const rejected = after.rows[0].rejected - before.rows[0].rejected;
      const overspend = await pg.query(
        `select count(*)::int as n from ledger.accounts where debits_must_not_exceed_credits and debits_posted + debits_pending > credits_posted`,
      );
      const perS = created / Math.min(seconds, DURATION_S);
      console.log(
        `  ${c.name}: ${result.requests.total} requests, ${created} transfers created, ${rejected} rejected, ` +
          `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts; latency p50=${result.latency.p50} ms p99=${result.latency.p99} ms; ` +
          `CPU per request: ${cpuPerTransfer}`,
      );
      lines.push(
        `RESULT case=${c.name} transfers_per_s=${perS.toFixed(0)} p50_ms=${result.latency.p50} p99_ms=${result.latency.p99} ` +
          `pgbench_tps=${pgbenchTps.toFixed(0)} ratio=${(perS / pgbenchTps).toFixed(2)} overspend=${overspend.rows[0].n}`,
      );
    }
    const inv = await fetch(`${ledgerUrl}/v1/audit/invariants`, { headers: { authorization: `Bearer ${token}` } });
    const report = (await inv.json()) as { ok: boolean };
    console.log(`Invariant check after the run: ${report.ok ? 'ok' : 'FAILED'}`);
    for (const line of lines) console.log(line);
    if (!report.ok) process.exitCode = 1;
  } finally {
    await pg.end().catch(() => undefined);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    await gateway.stop();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
