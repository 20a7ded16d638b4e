/**
 * pnpm --filter registry bench — the public provider search over 50,000 admitted providers with
 * 5 services and 2 locations each, 16 concurrent clients, a mix of filters and sorts.
 * Baseline, measured the same way in the same run: `GET /health/live` of the same process (Express
 * and the load generator with no database work), so runs on a busy shared machine can be compared.
 * Ends with `RESULT case=search p50_ms=<n> p95_ms=<n> requests_per_s=<n>`.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { createTestDatabase, waitForHealth } from '@esc/testing';
import { DISTRICTS, FEATURES, SERVICES, seedBenchProviders } from './seed-providers';

const PROVIDERS = Number(process.env.BENCH_PROVIDERS ?? 50_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const PORT = Number(process.env.BENCH_REGISTRY_PORT ?? 4902);
const SERVICE_DIR = join(__dirname, '..');

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;

function randomSearchPath(): string {
  const r = Math.random();
  if (r < 0.35) return `/v1/providers?service=${pick(SERVICES)}&district=${pick(DISTRICTS)}&sort=rating`;
  if (r < 0.6) return `/v1/providers?service=${pick(SERVICES)}&sort=distance&lat=${(53.6 + Math.random()).toFixed(4)}&lon=${(46.6 + 2 * Math.random()).toFixed(4)}`;
  if (r < 0.8) return `/v1/providers?form=home&accessibility=${pick(FEATURES)}&min_free_capacity=20&sort=name&page=${1 + Math.floor(Math.random() * 5)}`;
  return `/v1/providers?district=${pick(DISTRICTS)}&page=${1 + Math.floor(Math.random() * 10)}&per_page=20`;
}

interface Measured {
  p50: number;
  p95: number;
  perS: number;
  /** CPU per request (µs) of the registry process and of the PostgreSQL backends serving it. */
  nodeUs: number;
  pgUs: number;
}

/** CPU ticks (user + system) of the processes whose command line matches, from /proc (Linux). */
function cpuTicks(match: (pid: string, cmdline: string) => boolean): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (!match(pid, cmdline)) continue;
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended between listing and reading
    }
  }
  return ticks;
}

/** Exact percentiles from every response time (autocannon's own table has p97.5 but no p95). */
async function measure(url: string, path: () => string, durationS: number, processes: (pid: string, cmdline: string) => 'node' | 'pg' | undefined): Promise<Measured> {
  const times: number[] = [];
  const node0 = cpuTicks((pid, c) => processes(pid, c) === 'node');
  const pg0 = cpuTicks((pid, c) => processes(pid, c) === 'pg');
  const instance = autocannon({ url, connections: CONNECTIONS, duration: durationS, requests: [{ setupRequest: (req) => ({ ...req, path: path() }) }] }, () => undefined);
  const done = new Promise<autocannon.Result>((resolve) => instance.once('done', resolve));
  instance.on('response', (_client, _status, _bytes, ms) => times.push(ms));
  const result = await done;
  const perRequest = (ticks: number) => Math.round((ticks * 10_000) / Math.max(1, times.length));
  const nodeUs = perRequest(cpuTicks((pid, c) => processes(pid, c) === 'node') - node0);
  const pgUs = perRequest(cpuTicks((pid, c) => processes(pid, c) === 'pg') - pg0);  const failures = result.non2xx + result.errors + result.timeouts;
  if (failures) console.log(`  failures: non2xx=${result.non2xx} errors=${result.errors} timeouts=${result.timeouts}`);
  times.sort((a, b) => a - b);
  const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))]! * 10) / 10;
  return { p50: at(0.5), p95: at(0.95), perS: Math.round(times.length / durationS), nodeUs, pgUs };
}

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

async function main() {
  const db = await createTestDatabase('bench_registry');
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: SERVICE_DIR,
    env: { ...process.env, DATABASE_URL: db.url, PORT: String(PORT), LOG_LEVEL: 'warn', OUTBOX_RELAY_ENABLED: 'false', CONSUMERS_ENABLED: 'false', DB_POOL_MAX: '20' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${PORT}`;
  try {
    await waitForHealth(url, child, '/health/live');
    const started = Date.now();
    await seedBenchProviders(db.url, PROVIDERS);
    console.log(`seeded ${PROVIDERS} providers × ${SERVICES.length} services × 2 locations in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const check = await fetch(`${url}${randomSearchPath()}`);
    if (!check.ok) throw new Error(`search answered ${check.status}: ${await check.text()}`);
    const dbName = new URL(db.url).pathname.slice(1);
    const processes = (pid: string, cmdline: string) =>
      pid === String(child.pid) ? 'node' : cmdline.startsWith('postgres:') && cmdline.includes(` ${dbName} `) ? 'pg' : undefined;
    await measure(url, randomSearchPath, 3, processes);
    await measure(url, () => '/health/live', 3, processes);
    console.log(`load average before: ${load()}`);
    const base = await measure(url, () => '/health/live', DURATION_S, processes);
    const search = await measure(url, randomSearchPath, DURATION_S, processes);
    console.log(`load average after: ${load()}`);
    console.log(`CPU per request (µs): health_live node=${base.nodeUs}; search node=${search.nodeUs} postgres=${search.pgUs}`);
    console.log(`BASELINE case=health_live p50_ms=${base.p50} p95_ms=${base.p95} requests_per_s=${base.perS}`);
    console.log(`RESULT case=search p50_ms=${search.p50} p95_ms=${search.p95} requests_per_s=${search.perS}`);
  } finally {
    // Let in-flight requests of the last run finish before the pool closes.
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (process.env.BENCH_KEEP_DB) console.log(`kept database ${db.url}`);
    else await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
