/**
 * pnpm bench:ledger — HTTP throughput of the ledger against the machine's commit speed.
 *
 * Baseline: pgbench -N -c 16 -j 2 -T 15 on a scratch database of the same PostgreSQL (what this
 * machine can commit). Cases: 64 HTTP clients posting single transfers over 10,000 accounts (spread),
 * 64 clients all debiting one constrained account (hot), and certificates' pattern (redemption): each
 * client sends 20 holds from distinct certificate accounts to one provider's payable account, then posts
 * them. Each ends with a RESULT line. BENCH_CASES=redemption runs only the named cases;
 * BENCH_PG_STATEMENTS=1 prints PostgreSQL's time per transfer by statement (pg_stat_statements);
 * SQL_PIPELINING=off reaches the ledger with the rest of the environment and measures ordinary transactions.
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
const REDEMPTION_BATCH = 20;
// Certificates keeps few ledger requests in flight, so its batches reach the ledger about as sent.
const REDEMPTION_CONNECTIONS = Number(process.env.BENCH_REDEMPTION_CONNECTIONS ?? 4);
const SELECTED_CASES = process.env.BENCH_CASES?.split(',');

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

  console.log(`SQL_PIPELINING=${process.env.SQL_PIPELINING ?? 'on'} (passed on to the ledger)`);
  const db = await createTestDatabase('bench_ledger');
  const gateway = await startTestGateway();
  const ledgerUrl = `http://127.0.0.1:${LEDGER_PORT}`;
  // The services set no V8 flags themselves; the ledger alone has a core to spare, so of the launcher's
  // small-machine flags it gets only the heap ones (see infra/dev/node-options.ts).
  const nodeArgs = (process.env.BENCH_LEDGER_NODE_ARGS ?? '--max-semi-space-size=32 --no-allocation-site-pretenuring').split(' ').filter(Boolean);
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

    const provider = randomUUID();
    await api.post('/v1/accounts', { id: provider, ledger: 'RUB', code: 'provider_payable', owner: { type: 'provider', id: provider }, region_code: '73' });

    const pickAccount = () => accounts[Math.floor(Math.random() * accounts.length)]!;
    const single = (make: () => object): autocannon.Request[] => [
      { method: 'POST', setupRequest: (req: any) => ({ ...req, body: JSON.stringify({ transfers: [make()] }) }) },
    ];
    // Certificates' traffic: a batch of holds (distinct certificates, one provider), then a batch posting them.
    type Redemption = { holdIds?: string[] };
    const redemption: autocannon.Request[] = [
      {
        method: 'POST',
        setupRequest: (req: any, context: Redemption) => {
          const start = Math.floor(Math.random() * (accounts.length - REDEMPTION_BATCH));
          context.holdIds = Array.from({ length: REDEMPTION_BATCH }, () => randomUUID());
          const transfers = context.holdIds.map((id, i) => ({
            id,
            debit_account_id: accounts[start + i],
            credit_account_id: provider,
            amount: '1.00',
            code: 'bench',
            reference: `Акт ${id.slice(0, 8)} от 2026-06-01`,
            flags: { pending: true },
            timeout_seconds: 3600,
          }));
          return { ...req, body: JSON.stringify({ transfers }) };
        },
      },
      {
        method: 'POST',
        setupRequest: (req: any, context: Redemption) => {
          const transfers = context.holdIds!.map((pendingId) => ({ id: randomUUID(), pending_id: pendingId, amount: '1.00', flags: { post_pending: true } }));
          return { ...req, body: JSON.stringify({ transfers }) };
        },
      },
    ];
    const cases: Array<{ name: string; requests: autocannon.Request[]; connections?: number }> = [
      {
        name: 'spread',
        requests: single(() => {
          const debit = pickAccount();
          let credit = pickAccount();
          while (credit === debit) credit = pickAccount();
          return { id: randomUUID(), debit_account_id: debit, credit_account_id: credit, amount: '0.01', code: 'bench' };
        }),
      },
      { name: 'hot', requests: single(() => ({ id: randomUUID(), debit_account_id: hot, credit_account_id: pickAccount(), amount: '1.00', code: 'bench' })) },
      { name: 'redemption', requests: redemption, connections: REDEMPTION_CONNECTIONS },
    ].filter((c) => !SELECTED_CASES || SELECTED_CASES.includes(c.name));

    const lines: string[] = [];
    for (const c of cases) {
      const before = await pg.query(`select count(*) filter (where rejection is null)::int as created, count(*) filter (where rejection is not null)::int as rejected from ledger.transfers where code = 'bench'`);
      const statementStats = process.env.BENCH_PG_STATEMENTS
        ? await pg.query(`create extension if not exists pg_stat_statements;
             select pg_stat_statements_reset(0, (select oid from pg_database where datname = current_database()), 0)`).then(() => true)
        : false;
      const started = Date.now();
      const cpuBefore = Object.fromEntries(Object.entries(processes).map(([k, match]) => [k, sampleCpu(match)]));
      const result = await autocannon({
        url: `${ledgerUrl}/v1/transfers`,
        connections: c.connections ?? CONNECTIONS,
        duration: DURATION_S,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        requests: c.requests,
      });
      const seconds = (Date.now() - started) / 1000;
      const after = await pg.query(`select count(*) filter (where rejection is null)::int as created, count(*) filter (where rejection is not null)::int as rejected from ledger.transfers where code = 'bench'`);
      const created = after.rows[0].created - before.rows[0].created;
      const rejected = after.rows[0].rejected - before.rows[0].rejected;
      const perTransfer = (seconds: number) => ((seconds * 1e6) / Math.max(1, created)).toFixed(0);
      const cpu = Object.entries(processes).map(([k, match]) => [k, cpuBetween(cpuBefore[k]!, sampleCpu(match))] as const);
      const cpuPerTransfer = cpu.map(([k, [user, system]]) => `${k}=${perTransfer(user + system)}µs (user ${perTransfer(user)}, system ${perTransfer(system)})`).join(' ');
      const cpuFigures = cpu.map(([k, [user, system]]) => `${k}_cpu_us=${perTransfer(user + system)}`).join(' ');
      const overspend = await pg.query(
        `select count(*)::int as n from ledger.accounts where debits_must_not_exceed_credits and debits_posted + debits_pending > credits_posted`,
      );
      const perS = created / Math.min(seconds, DURATION_S);
      console.log(
        `  ${c.name}: ${result.requests.total} requests, ${created} transfers created, ${rejected} rejected, ` +
          `${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts; latency p50=${result.latency.p50} ms p99=${result.latency.p99} ms; ` +
          `CPU per transfer: ${cpuPerTransfer}`,
      );
      if (statementStats) await printStatementStats(pg, created);
      lines.push(
        `RESULT case=${c.name} transfers_per_s=${perS.toFixed(0)} p50_ms=${result.latency.p50} p99_ms=${result.latency.p99} ` +
          `pgbench_tps=${pgbenchTps.toFixed(0)} ratio=${(perS / pgbenchTps).toFixed(2)} ${cpuFigures} overspend=${overspend.rows[0].n}`,
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

/** Where PostgreSQL's time per transfer went, by statement (plan + execute, µs; calls; rows). */
async function printStatementStats(pg: Client, transfers: number) {
  const { rows } = await pg.query<{ calls: string; plan_us: number; exec_us: number; rows: string; query: string }>(
    `select calls, total_plan_time * 1000 / $1 as plan_us, total_exec_time * 1000 / $1 as exec_us, rows, query
       from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
      order by total_plan_time + total_exec_time desc limit 6`,
    [Math.max(1, transfers)],
  );
  console.log('  PostgreSQL time per transfer by statement (plan + execute, µs; calls; rows):');
  for (const r of rows) console.log(`    ${r.plan_us.toFixed(0).padStart(4)} + ${r.exec_us.toFixed(0).padStart(4)}  ${r.calls.padStart(6)} ${r.rows.padStart(7)}  ${r.query.replace(/\s+/g, ' ').slice(0, 110)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
