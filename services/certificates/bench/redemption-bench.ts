/**
 * pnpm bench:redemption — 64 concurrent clients record a delivered unit (a ledger hold) and confirm
 * it (the hold posted) over 10,000 active certificates, all through HTTP to the certificates service,
 * which calls the ledger over HTTP. Baseline: pgbench on the same PostgreSQL, measured in the same run.
 * The certificates, lines and accepted bookings are written by SQL (setup is not what is measured);
 * their ledger accounts are opened and funded through the ledger's API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ledgerAccountIds } from '@esc/ledger-client';
import { smallMachineNodeArgs } from '../../../infra/dev/node-options';
import { BenchConnection, cpuBetween, createTestDatabase, httpClient, machineBusyBetween, pgbenchBaseline, sampleCpu, sampleMachineCpu, startTestGateway, waitForHealth } from '@esc/testing';
import { createRegistryService } from 'registry/src/app';
import { seedRegistryDemo } from '../../../infra/dev/seed-demo';

const ROOT = join(__dirname, '..', '..', '..');
const CERTIFICATES = Number(process.env.BENCH_CERTIFICATES ?? 10_000);
const CLIENTS = Number(process.env.BENCH_CONNECTIONS ?? 64);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const WARMUP_S = Number(process.env.BENCH_WARMUP_S ?? 3);
const LEDGER_PORT = 4911;
const CERTIFICATES_PORT = 4913;
const ZABOTA_ID = '6e9de740-d447-49a2-a48f-a219e95a9be5';
const UNIT_COST = '312.40';
const VALUE = '37488.00';

function startChild(entry: string, env: Record<string, string>, nodeArgs: string[] = []): ChildProcess {
  return spawn(process.execPath, [...smallMachineNodeArgs(), ...nodeArgs, '--import', 'tsx', join(ROOT, entry)], { env: { ...process.env, LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'warn', ...env }, stdio: ['ignore', 'inherit', 'inherit'] });
}

const PROCESSES = {
  certificates: (c: string) => c.includes('services/certificates/src/main.ts'),
  ledger: (c: string) => c.includes('services/ledger/src/main.ts'),
  postgres: (c: string) => c.startsWith('postgres: '),
  loadgen: (c: string) => c.includes('redemption-bench.ts'),
};


const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0;

async function main() {
  const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  process.env.TEST_DATABASE_ADMIN_URL = adminUrl;
  console.log('Baseline: pgbench -N -c 16 -j 2 -T 15 (scale 10) on the same PostgreSQL …');
  const pgbenchTps = pgbenchBaseline(adminUrl);
  console.log(`  pgbench_tps=${pgbenchTps.toFixed(0)}`);

  const db = await createTestDatabase('bench_redemption');
  const gateway = await startTestGateway();
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const common = { DATABASE_URL: db.url, JWKS_URL: gateway.jwksUrl, QUEUE_PREFIX: prefix };
  const registry = await createRegistryService({ ...common, LOG_LEVEL: 'warn', OUTBOX_RELAY_ENABLED: false, CONSUMERS_ENABLED: false });
  const registryUrl = (await registry.start(0)).url;
  await seedRegistryDemo(gateway.url, registryUrl);
  const ledger = startChild('services/ledger/src/main.ts', { ...common, PORT: String(LEDGER_PORT), JOBS_ENABLED: 'false' }, (process.env.BENCH_LEDGER_NODE_ARGS ?? '').split(' ').filter(Boolean));
  const ledgerUrl = `http://127.0.0.1:${LEDGER_PORT}`;
  const certificates = startChild('services/certificates/src/main.ts', {
    ...common,
    PORT: String(CERTIFICATES_PORT),
    GATEWAY_URL: gateway.url,
    LEDGER_URL: ledgerUrl,
    REGISTRY_URL: registryUrl,
    JOBS_ENABLED: 'false',
    OUTBOX_RELAY_ENABLED: 'false',
    DB_POOL_MAX: process.env.BENCH_DB_POOL_MAX ?? '16',
  }, (process.env.BENCH_CERTIFICATES_NODE_ARGS ?? '').split(' ').filter(Boolean));
  const certificatesUrl = `http://127.0.0.1:${CERTIFICATES_PORT}`;
  const pg = new Client({ connectionString: db.url });
  try {
    await waitForHealth(ledgerUrl, ledger, '/health/ready', 60_000);
    await waitForHealth(certificatesUrl, certificates, '/health/ready', 60_000);
    await pg.connect();

    console.log(`Setting up ${CERTIFICATES} active certificates of ${VALUE} with an accepted booking each …`);
    const budgetProgrammeId = randomUUID();
    const allocation = ledgerAccountIds.budgetAllocation(budgetProgrammeId);
    await pg.query(`create temp table bench_ids as
      select g, gen_random_uuid() as r, gen_random_uuid() as a, gen_random_uuid() as p, gen_random_uuid() as c, gen_random_uuid() as l, gen_random_uuid() as bk
        from generate_series(1, $1::int) g`, [CERTIFICATES]);
    await pg.query(`insert into certificates.budget_programmes (id, region_code, code, name, year, allocation_account_id, created_by) values ($1, '73', 'BENCH', 'Бенчмарк', 2026, $2, 'bench')`, [budgetProgrammeId, allocation]);
    await pg.query(`insert into certificates.recipients (id, snils, region_code, last_name, first_name, birth_date, district_code, address, own_income, created_by)
      select r, lpad(g::text, 11, '0'), '73', 'Бенчмарков', 'Тест', '1950-01-01', '73701000', 'г. Ульяновск', 0, 'bench' from bench_ids`);
    await pg.query(`insert into certificates.assessments (id, recipient_id, region_code, source, status, opened_by, opened_on, decision_due, programme_due)
      select a, r, '73', 'bulk_import', 'programme_drawn', 'bench', '2026-01-01', '2026-01-01', '2026-01-01' from bench_ids`);
    await pg.query(`insert into certificates.programmes (id, assessment_id, recipient_id, region_code, valid_from, lines, drawn_by) select p, a, r, '73', '2026-01-01', '[]', 'bench' from bench_ids`);
    await pg.query(`insert into certificates.certificates (id, number, recipient_id, programme_id, budget_programme_id, region_code, status, issued_on, valid_from, valid_to, gross_amount, fee_amount, value, fee_calculation, issued_by)
      select c, 'B-' || g, r, p, $1, '73', 'active', '2026-01-01', '2026-01-01', '2027-06-30', $2, 0, $2, '{}', 'bench' from bench_ids`, [budgetProgrammeId, VALUE]);
    await pg.query(`insert into certificates.certificate_lines (id, certificate_id, line_no, service_code, service_name, form, unit, volume_per_month, months, volume, unit_cost, cost_breakdown, gross_amount, fee_amount, net_amount, units_booked)
      select l, c, 1, 'HOME-HOUSEHOLD-HOUR', 'Социально-бытовые услуги на дому', 'home', 'hour', 20, 6, 120, $1, '{}', $2, 0, $2, 120 from bench_ids`, [UNIT_COST, VALUE]);
    await pg.query(`insert into certificates.bookings (id, certificate_id, line_id, recipient_id, region_code, provider_id, provider_name, funding_mode, service_code, units, units_per_month, status, requested_by)
      select bk, c, l, r, '73', $1, 'АНО «Забота»', 'compensation', 'HOME-HOUSEHOLD-HOUR', 120, 20, 'accepted', 'bench' from bench_ids`, [ZABOTA_ID]);
    const rows = (await pg.query<{ c: string; bk: string }>(`select c, bk from bench_ids order by g`)).rows;

    const ledgerApi = httpClient(ledgerUrl, await gateway.serviceToken('bench'));
    const open = (id: string, code: string, owner: { type: string; id: string }) => ledgerApi.post('/v1/accounts', { id, ledger: 'RUB', code, owner, region_code: '73' });
    const treasury = ledgerAccountIds.treasurySource('73');
    await open(treasury, 'treasury_source', { type: 'region', id: '73' });
    await open(allocation, 'budget_allocation', { type: 'budget_programme', id: budgetProgrammeId });
    await open(ledgerAccountIds.providerPayable(ZABOTA_ID), 'provider_payable', { type: 'provider', id: ZABOTA_ID });
    await ledgerApi.post('/v1/transfers', { transfers: [{ id: randomUUID(), debit_account_id: treasury, credit_account_id: allocation, amount: (37488 * CERTIFICATES).toFixed(2), code: 'fund_programme' }] });
    for (let i = 0; i < rows.length; i += 64) {
      await Promise.all(rows.slice(i, i + 64).map((r) => open(r.c, 'certificate', { type: 'certificate', id: r.c })));
    }
    for (let i = 0; i < rows.length; i += 8000) {
      const res = await ledgerApi.post('/v1/transfers', {
        transfers: rows.slice(i, i + 8000).map((r) => ({ id: randomUUID(), debit_account_id: allocation, credit_account_id: r.c, amount: VALUE, code: 'issue_certificate' })),
      });
      if (res.body.failed !== 0) throw new Error(`issuing failed: ${JSON.stringify(res.body).slice(0, 300)}`);
    }

    const providerToken = await gateway.signIn('zabota-staff');
    const caseworkerToken = await gateway.signIn('caseworker-73');
    const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };

    // Tables loaded by SQL have no statistics yet, and plans cached over an empty deliveries table scan it
    // whole. A running system has both from autovacuum (pgbench -i analyzes its tables too): so a short
    // unmeasured warm-up records the first acts, then everything is analyzed, and only then is load measured.
    const connections = await Promise.all(Array.from({ length: CLIENTS }, () => BenchConnection.open(certificatesUrl)));
    const codeOf = (body: string) => (JSON.parse(body) as { code?: string }).code;
    const drive = async (seconds: number) => {
      const latencies: number[] = [];
      const failures = new Map<string, number>();
      const fail = (what: string) => failures.set(what, (failures.get(what) ?? 0) + 1);
      const deadline = Date.now() + seconds * 1000;
      await Promise.all(
        connections.map(async (connection) => {
          while (Date.now() < deadline) {
            const row = rows[Math.floor(Math.random() * rows.length)]!;
            const actId = randomUUID();
            const t0 = performance.now();
            const recorded = await connection.post(`/v1/bookings/${row.bk}/deliveries`, providerToken, JSON.stringify({ id: actId, delivered_on: '2026-06-01', units: 1, staff }));
            if (recorded.status !== 201) {
              fail(`record ${recorded.status} ${codeOf(recorded.body)}`);
              continue;
            }
            const confirmed = await connection.post(`/v1/deliveries/${actId}/confirm`, caseworkerToken, '{}');
            if (confirmed.status !== 200) {
              fail(`confirm ${confirmed.status} ${codeOf(confirmed.body)}`);
              continue;
            }
            latencies.push(performance.now() - t0);
          }
        }),
      );
      return { latencies, failures };
    };
    console.log(`Warm-up: ${WARMUP_S} s of the same load, not measured; then analyze …`);
    await pg.query('analyze');
    await drive(WARMUP_S);
    await pg.query('analyze');

    console.log(`Load: ${CLIENTS} clients, each: record 1 unit on a random booking, then confirm it; ${DURATION_S} s …`);
    const statementStats = process.env.BENCH_PG_STATEMENTS ? await pg.query('create extension if not exists pg_stat_statements; select pg_stat_statements_reset()').then(() => true) : false;
    const cpuBefore = Object.fromEntries(Object.entries(PROCESSES).map(([k, match]) => [k, sampleCpu(match)]));
    const machineBefore = sampleMachineCpu();
    const started = Date.now();
    const { latencies, failures } = await drive(DURATION_S);
    const redemptions = latencies.length;
    connections.forEach((connection) => connection.close());
    const seconds = (Date.now() - started) / 1000;
    const machineBusy = machineBusyBetween(machineBefore, sampleMachineCpu());
    const perRedemption = (cpuSeconds: number) => (cpuSeconds * 1e6) / Math.max(1, redemptions);
    const cpuByProcess = Object.entries(PROCESSES).map(([k, match]) => {
      const [user, system] = cpuBetween(cpuBefore[k]!, sampleCpu(match));
      return { k, us: perRedemption(user + system), kernelUs: perRedemption(system) };
    });
    const cpuPerRedemption = cpuByProcess.map(({ k, us, kernelUs }) => `${k}=${us.toFixed(0)}µs(kernel ${kernelUs.toFixed(0)})`).join(' ');
    const cpuUsPerRedemption = cpuByProcess.reduce((sum, { us }) => sum + us, 0);
    // What this CPU cost per redemption would allow if every core were busy: the bound no tuning of concurrency can pass.
    const ceilingPerS = (cpus().length * 1e6) / Math.max(1, cpuUsPerRedemption);
    latencies.sort((a, b) => a - b);
    const perS = redemptions / seconds;

    if (statementStats) await printStatementStats(pg, redemptions);
    const overspend = await pg.query(`select count(*)::int as n from ledger.accounts where debits_must_not_exceed_credits and debits_posted + debits_pending > credits_posted`);
    const lines = await pg.query(`select count(*)::int as n from certificates.certificate_lines where units_consumed > volume or amount_consumed > net_amount`);
    const tieOut = await pg.query(
      `select (select coalesce(sum(posted_amount), 0) from certificates.deliveries where status = 'posted')::text as posted,
              (select credits_posted from ledger.accounts where id = $1)::text as payable`,
      [ledgerAccountIds.providerPayable(ZABOTA_ID)],
    );
    const invariants = await ledgerApi.get('/v1/audit/invariants');
    console.log(
      `  ${redemptions} redemptions (each a hold and its post) in ${seconds.toFixed(1)} s; failures: ${failures.size ? JSON.stringify(Object.fromEntries(failures)) : 'none'}; ` +
        `latency per redemption p50=${percentile(latencies, 50).toFixed(0)} ms p99=${percentile(latencies, 99).toFixed(0)} ms`,
    );
    console.log(`  CPU per redemption (postgres counts every backend on the machine): ${cpuPerRedemption}; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    console.log(
      `  machine ${(machineBusy * 100).toFixed(0)} % busy during the load; at ${cpuUsPerRedemption.toFixed(0)} µs of CPU per redemption, all ${cpus().length} cores busy would allow ` +
        `${ceilingPerS.toFixed(0)}/s, ratio ${(ceilingPerS / pgbenchTps).toFixed(2)}`,
    );
    console.log(`  tie-out: posted acts ${tieOut.rows[0].posted} = provider payable ${tieOut.rows[0].payable}; lines over volume or value: ${lines.rows[0].n}; ledger invariants: ${invariants.body.ok ? 'ok' : 'FAILED'}`);
    console.log(
      `RESULT case=redemption redemptions_per_s=${perS.toFixed(0)} p50_ms=${percentile(latencies, 50).toFixed(0)} p99_ms=${percentile(latencies, 99).toFixed(0)} ` +
        `pgbench_tps=${pgbenchTps.toFixed(0)} ratio=${(perS / pgbenchTps).toFixed(2)} overspend=${overspend.rows[0].n + lines.rows[0].n}`,
    );
    if (!invariants.body.ok || tieOut.rows[0].posted !== tieOut.rows[0].payable) process.exitCode = 1;
  } finally {
    await pg.end().catch(() => undefined);
    for (const child of [certificates, ledger]) {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
    await registry.stop();
    await gateway.stop();
    if (process.env.BENCH_KEEP_DB) console.log(`kept database ${db.url}`);
    else await db.drop();
  }
}

/** BENCH_PG_STATEMENTS=1, with pg_stat_statements loaded: where PostgreSQL's time per redemption went. */
async function printStatementStats(pg: Client, redemptions: number) {
  const { rows } = await pg.query<{ calls: string; plan_us: number; exec_us: number; rows: string; query: string }>(
    `select calls, total_plan_time * 1000 / $1 as plan_us, total_exec_time * 1000 / $1 as exec_us, rows, query
       from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database())
      order by total_plan_time + total_exec_time desc limit 15`,
    [redemptions],
  );
  console.log('  PostgreSQL time per redemption by statement (plan + execute, µs; calls; rows):');
  for (const r of rows) console.log(`    ${r.plan_us.toFixed(0).padStart(4)} + ${r.exec_us.toFixed(0).padStart(4)}  ${r.calls.padStart(6)} ${r.rows.padStart(7)}  ${r.query.replace(/\s+/g, ' ').slice(0, 110)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
