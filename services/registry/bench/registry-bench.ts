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
import { Client } from 'pg';
import { createTestDatabase, waitForHealth } from '@esc/testing';
import { SEARCH_CARDS_COLUMNS, SEARCH_CARDS_SELECT, SEARCH_ENTRIES_COLUMNS, SEARCH_ENTRIES_SELECT } from '../src/data-access/search-index';

const PROVIDERS = Number(process.env.BENCH_PROVIDERS ?? 50_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 16);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 15);
const PORT = Number(process.env.BENCH_REGISTRY_PORT ?? 4902);
const SERVICE_DIR = join(__dirname, '..');

const DISTRICTS = Array.from({ length: 24 }, (_, i) => `73${String(600 + i * 4).padStart(3, '0')}000`);
const SERVICES = ['HOME-HOUSEHOLD-HOUR', 'DAYCARE-ELDERLY-DAY', 'CHILD-REHAB-COURSE', 'HOME-PSYCH-VISIT', 'HOME-LEGAL-VISIT'];
const FEATURES = ['wheelchair_access', 'ramp', 'elevator', 'accessible_toilet', 'sign_language', 'braille', 'hearing_loop', 'parking_for_disabled', 'home_visits'];

async function seed(url: string) {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`insert into registry.services (code, name, kind, form, unit, standard, licence_required)
      values ('HOME-LEGAL-VISIT', 'Социально-правовые услуги на дому', 'legal', 'home', 'visit',
              '{"content":"Помощь в оформлении документов","staff_qualification":"Юрист","max_volume_per_month":4}', false)
      on conflict do nothing`);
    await client.query(
      `insert into registry.providers (id, inn, ogrn, kpp, name, legal_form, type, funding_mode, registered_at, region_code, bank, contacts,
         accessibility, status, rating, rating_count, rating_sum, created_by)
       select md5('provider' || i)::uuid, lpad(i::text, 10, '0'), lpad(i::text, 13, '1'), '732501001',
              'Поставщик № ' || i, 'АНО', (array['nko','sonko','social_enterprise','entrepreneur','state_institution'])[1 + i % 5],
              case when i % 4 = 0 then 'state_assignment' else 'compensation' end, date '2015-01-01' + (i % 3000),
              '73', '{"bic":"044525225","account":"40702817300000000001","bank_name":"ПАО Сбербанк"}', '{"phone":"+78422000000","email":"bench@example.org"}',
              (select coalesce(array_agg(f), '{}') from unnest($1::text[]) with ordinality as t(f, n) where (i >> n::int) % 2 = 1),
              'admitted', case when i % 7 = 0 then null else round((1 + (i * 7919 % 400) / 100.0)::numeric, 2) end,
              case when i % 7 = 0 then 0 else 1 + i % 50 end, 0, 'bench'
         from generate_series(1, $2::int) i`,
      [FEATURES, PROVIDERS],
    );
    await client.query(
      `insert into registry.provider_services (provider_id, service_code, capacity_per_month, booked_per_month, admitted, admitted_territory)
       select md5('provider' || i)::uuid, s, 10 + (i * 31 + length(s)) % 200, (i * 17) % 60, true, '{}'
         from generate_series(1, $1::int) i, unnest($2::text[]) s`,
      [PROVIDERS, SERVICES],
    );
    await client.query(
      `insert into registry.provider_locations (provider_id, address, district_code, lat, lon)
       select md5('provider' || i)::uuid, 'Ульяновская область, адрес ' || i || '-' || k, ($2::text[])[1 + (i * 3 + k * 11) % 24],
              53.5 + ((i * 13 + k * 29) % 1500) / 1000.0, 46.5 + ((i * 19 + k * 37) % 3000) / 1000.0
         from generate_series(1, $1::int) i, generate_series(1, 2) k`,
      [PROVIDERS, DISTRICTS],
    );
    await client.query(`insert into registry.search_entries (${SEARCH_ENTRIES_COLUMNS}) ${SEARCH_ENTRIES_SELECT}`);
    await client.query(`insert into registry.search_cards (${SEARCH_CARDS_COLUMNS}) ${SEARCH_CARDS_SELECT}`);
    await client.query('vacuum analyze');
  } finally {
    await client.end();
  }
}

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
    await seed(db.url);
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
