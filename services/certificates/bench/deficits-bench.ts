/**
 * pnpm bench:deficits — the register of social deficits computed over 1,000,000 recipients and
 * 5,000 providers in 89 districts.
 *
 * Starts the real gateway, registry and certificates in this process on a fresh database, fills it
 * with set-based SQL (recipients with programmes, most with certificates, a part booked; admitted
 * providers with capacity in every district), then asks the certificates service to compute the
 * month over HTTP as the committee would, and checks the register it wrote against the same sums
 * taken straight from the tables. There is no earlier implementation to compare with, so no baseline.
 * Ends with `RESULT case=deficits seconds=<n> peak_rss_mb=<n>`; targets ≤ 30 s and ≤ 1 GB.
 */
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { cpuBetween, createTestDatabase, httpClient, sampleCpu, startTestGateway } from '@esc/testing';
import { createRegistryService } from 'registry/src/app';
import { createCertificatesService } from '../src/app';

const RECIPIENTS = Number(process.env.BENCH_RECIPIENTS ?? 1_000_000);
const PROVIDERS = Number(process.env.BENCH_PROVIDERS ?? 5_000);
const DISTRICTS = 89;
const REGION = '73';
const TARGET_SECONDS = 30;
const TARGET_RSS_MB = 1024;

/** 89 district codes of OKTMO's shape, 73 601 000 onwards. */
const districtSql = (i: string) => `'736' || lpad(((${i}) % ${DISTRICTS} + 1)::text, 2, '0') || '000'`;

async function main() {
  console.log(`Starting gateway, registry and certificates in-process on a fresh database (${RECIPIENTS} recipients, ${PROVIDERS} providers, ${DISTRICTS} districts) …`);
  const db = await createTestDatabase('bench_deficits');
  const gateway = await startTestGateway();
  const common = { DATABASE_URL: db.url, JWKS_URL: gateway.jwksUrl, LOG_LEVEL: 'warn', QUEUE_PREFIX: `bench-${randomUUID().slice(0, 8)}` } as const;
  const stops: Array<() => Promise<unknown>> = [];
  try {
    const registry = await createRegistryService({ ...common, OUTBOX_RELAY_ENABLED: false, CONSUMERS_ENABLED: false });
    stops.push(() => registry.stop());
    const registryUrl = (await registry.start(0)).url;
    const certificates = await createCertificatesService({
      ...common,
      GATEWAY_URL: gateway.url,
      LEDGER_URL: 'http://127.0.0.1:9',
      REGISTRY_URL: registryUrl,
      OUTBOX_RELAY_ENABLED: false,
      JOBS_ENABLED: false,
      CONSUMERS_ENABLED: false,
    });
    stops.unshift(() => certificates.stop());
    const url = (await certificates.start(0)).url;
    const em = certificates.orm.em.fork();
    const run = (sql: string) => em.getConnection().execute(sql, [], 'run');

    const seedStarted = Date.now();
    const services = (await em.getConnection().execute<Array<{ code: string; name: string; form: string; unit: string }>>(`select code, name, form, unit from registry.services order by code limit 4`))!;
    const serviceArray = (pick: (s: (typeof services)[number]) => string) => `array[${services.map((s) => `'${pick(s).replace(/'/g, "''")}'`).join(',')}]`;
    const n = services.length;
    console.log(`  services: ${services.map((s) => s.code).join(', ')}`);

    // Providers: admitted, each in one district, offering two services.
    await run(`insert into registry.providers (id, inn, ogrn, name, legal_form, type, funding_mode, registered_at, region_code, bank, contacts, status, created_by)
      select md5('p' || i)::uuid, lpad(i::text, 10, '0'), lpad(i::text, 13, '0'), 'Поставщик № ' || i, 'АНО',
             (array['state_institution','nko','sonko','social_enterprise','entrepreneur'])[i % 5 + 1],
             case when i % 5 = 0 then 'state_assignment' else 'compensation' end, '2015-01-01', '${REGION}', '{}', '{}', 'admitted', 'bench'
        from generate_series(1, ${PROVIDERS}) i`);
    await run(`insert into registry.provider_locations (provider_id, address, district_code, lat, lon)
      select md5('p' || i)::uuid, 'Адрес ' || i, ${districtSql('i')}, 54, 48 from generate_series(1, ${PROVIDERS}) i`);
    await run(`insert into registry.provider_services (provider_id, service_code, capacity_per_month, booked_per_month, admitted, admitted_territory)
      select md5('p' || i)::uuid, (${serviceArray((s) => s.code)})[(i + k) % ${n} + 1], 200 + (i * 37) % 1800, (i * 13) % 200, true, array[${districtSql('i')}]
        from generate_series(1, ${PROVIDERS}) i cross join generate_series(0, 1) k`);
    console.log(`  providers seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    const budgetId = randomUUID();
    await run(`insert into certificates.budget_programmes (id, region_code, code, name, year, allocation_account_id, created_by)
      values ('${budgetId}', '${REGION}', 'ДУ-BENCH', 'Долговременный уход', 2026, '${randomUUID()}', 'bench')`);
    // Everyone: a recipient, a recognised assessment and a programme of one or two services; a tenth has a category.
    await run(`insert into certificates.recipients (id, snils, region_code, last_name, first_name, birth_date, district_code, address, categories, own_income, created_by)
      select md5('r' || i)::uuid, lpad(i::text, 11, '0'), '${REGION}', 'Получатель', 'Бенч', '1950-01-01', ${districtSql('i::bigint * 7919')}, 'Адрес',
             case when i % 10 = 0 then array['disability-group-1'] when i % 10 = 1 then array['dementia'] else '{}'::text[] end, 10000, 'bench'
        from generate_series(1, ${RECIPIENTS}) i`);
    await run(`insert into certificates.assessments (id, recipient_id, region_code, source, status, opened_by, opened_on, decision_due, programme_due)
      select md5('a' || i)::uuid, md5('r' || i)::uuid, '${REGION}', 'application', 'programme_drawn', 'bench', current_date - 40, current_date - 33, current_date - 26
        from generate_series(1, ${RECIPIENTS}) i`);
    await run(`insert into certificates.programmes (id, assessment_id, recipient_id, region_code, valid_from, lines, drawn_by)
      select md5('g' || i)::uuid, md5('a' || i)::uuid, md5('r' || i)::uuid, '${REGION}', date_trunc('month', current_date)::date,
             case when i % 4 = 0
               then jsonb_build_array(jsonb_build_object('service_code', (${serviceArray((s) => s.code)})[i % ${n} + 1], 'volume_per_month', 10 + i % 20, 'months', 6),
                                      jsonb_build_object('service_code', (${serviceArray((s) => s.code)})[(i + 1) % ${n} + 1], 'volume_per_month', 2 + i % 6, 'months', 3))
               else jsonb_build_array(jsonb_build_object('service_code', (${serviceArray((s) => s.code)})[i % ${n} + 1], 'volume_per_month', 10 + i % 20, 'months', 6)) end, 'bench'
        from generate_series(1, ${RECIPIENTS}) i`);
    console.log(`  recipients, assessments and programmes seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);
    // Nine in ten have a certificate with the programme's lines.
    await run(`insert into certificates.certificates (id, number, recipient_id, programme_id, budget_programme_id, region_code, status, issued_on, valid_from, valid_to,
                 gross_amount, fee_amount, value, fee_calculation, issued_by)
      select md5('c' || i)::uuid, 'B-' || i, md5('r' || i)::uuid, md5('g' || i)::uuid, '${budgetId}', '${REGION}', case when i % 3 = 0 then 'active' else 'issued' end,
             current_date - (i % 30), date_trunc('month', current_date)::date, (date_trunc('month', current_date) + interval '6 months')::date, 30000, 0, 30000, '{}', 'bench'
        from generate_series(1, ${RECIPIENTS}) i where i % 10 <> 0`);
    await run(`insert into certificates.certificate_lines (id, certificate_id, line_no, service_code, service_name, form, unit, volume_per_month, months, volume,
                 unit_cost, cost_breakdown, gross_amount, fee_amount, net_amount)
      select md5('l' || i || '-' || o)::uuid, md5('c' || i)::uuid, o::int, l->>'service_code', 'Услуга', 'home', 'hour', (l->>'volume_per_month')::int, (l->>'months')::int,
             (l->>'volume_per_month')::int * (l->>'months')::int, 250, '{}', 15000, 0, 15000
        from generate_series(1, ${RECIPIENTS}) i cross join lateral jsonb_array_elements(
          case when i % 4 = 0
            then jsonb_build_array(jsonb_build_object('service_code', (${serviceArray((s) => s.code)})[i % ${n} + 1], 'volume_per_month', 10 + i % 20, 'months', 6),
                                   jsonb_build_object('service_code', (${serviceArray((s) => s.code)})[(i + 1) % ${n} + 1], 'volume_per_month', 2 + i % 6, 'months', 3))
            else jsonb_build_array(jsonb_build_object('service_code', (${serviceArray((s) => s.code)})[i % ${n} + 1], 'volume_per_month', 10 + i % 20, 'months', 6)) end)
          with ordinality as e(l, o)
       where i % 10 <> 0`);
    // Of the certificate lines: half accepted by a provider, a sixth requested, the rest without a provider.
    await run(`insert into certificates.bookings (id, certificate_id, line_id, recipient_id, region_code, provider_id, provider_name, funding_mode, service_code, units,
                 units_per_month, status, requested_by)
      select md5('b' || i)::uuid, md5('c' || i)::uuid, md5('l' || i || '-1')::uuid, md5('r' || i)::uuid, '${REGION}', md5('p' || (i % ${PROVIDERS} + 1))::uuid, 'Поставщик',
             'compensation', (${serviceArray((s) => s.code)})[i % ${n} + 1], 60, 10, case when i % 6 < 3 then 'accepted' else 'requested' end, 'bench'
        from generate_series(1, ${RECIPIENTS}) i where i % 10 <> 0 and i % 6 < 4`);
    await run(`analyze`);
    console.log(`  all seeded in ${((Date.now() - seedStarted) / 1000).toFixed(1)} s`);

    const committee = httpClient(url, await gateway.signIn('committee-73'));
    const database = new URL(db.url).pathname.slice(1);
    const isPostgres = (c: string) => c.startsWith('postgres: ') && c.includes(database);
    const cpuBefore = { postgres: sampleCpu(isPostgres), self: process.cpuUsage() };
    const loadBefore = loadavg()[0]!;
    let peakRss = process.memoryUsage.rss();
    const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
    const started = process.hrtime.bigint();
    const computed = await committee.post(`/v1/regions/${REGION}/deficits/computations`, {});
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    clearInterval(sampler);
    peakRss = Math.max(peakRss, process.memoryUsage.rss());
    if (computed.status !== 201) throw new Error(`computation: ${computed.status} ${JSON.stringify(computed.body)}`);
    const self = process.cpuUsage(cpuBefore.self);
    const postgresCpu = cpuBetween(cpuBefore.postgres, sampleCpu(isPostgres)).reduce((a, b) => a + b, 0);
    console.log(`  computed ${computed.body.month}: ${computed.body.rows} districts × services, ${computed.body.deficits} with a deficit, ${computed.body.deficit_volume} units a month missing`);

    // The register against the same sums taken straight from the tables.
    const [check] = (await em.getConnection().execute<Array<{ people: string; registered: string; waiting: string; waiting_registered: string; districts: string }>>(
      `select (select count(distinct recipient_id) from certificates.programmes) as people,
              (select sum(recognised_people) from certificates.deficits) as registered,
              (select sum(l.volume_per_month) from certificates.certificate_lines l
                 where not exists (select 1 from certificates.bookings b where b.line_id = l.id and b.status = 'accepted')) +
              (select coalesce(sum((x->>'volume_per_month')::int), 0) from certificates.programmes p cross join lateral jsonb_array_elements(p.lines) x
                 where not exists (select 1 from certificates.certificates c where c.programme_id = p.id)) as waiting,
              (select sum(waiting_volume) from certificates.deficits) as waiting_registered,
              (select count(distinct district_code) from certificates.deficits) as districts`,
    ))!;
    const consistent = Number(check!.waiting) === Number(check!.waiting_registered) && Number(check!.districts) === DISTRICTS;
    console.log(
      `  check: ${check!.people} people with a programme, ${check!.registered} counted per district and service (a person with two services counts twice); ` +
        `waiting volume ${check!.waiting} in the tables, ${check!.waiting_registered} in the register; ${check!.districts} districts (${consistent ? 'consistent' : 'MISMATCH'})`,
    );
    console.log(`  CPU over ${seconds.toFixed(1)} s wall: certificates+registry+gateway ${((self.user + self.system) / 1e6).toFixed(1)} s, PostgreSQL ${postgresCpu.toFixed(1)} s`);
    console.log(`  peak RSS of this process (gateway, registry and certificates) during the computation; PostgreSQL's memory is its own`);
    console.log(`  machine: ${cpus().length} CPUs shared with other engineers' work; load average ${loadBefore.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end`);
    console.log(`  targets: ≤ ${TARGET_SECONDS} s, ≤ ${TARGET_RSS_MB} MB; baseline: none (the first implementation of the computation)`);
    const rssMb = peakRss / 1024 / 1024;
    if (!consistent || seconds > TARGET_SECONDS || rssMb > TARGET_RSS_MB) process.exitCode = 1;
    console.log(`RESULT case=deficits seconds=${seconds.toFixed(1)} peak_rss_mb=${rssMb.toFixed(0)}`);
  } finally {
    for (const stop of stops) await stop().catch((err: unknown) => console.error(err));
    await gateway.stop();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
