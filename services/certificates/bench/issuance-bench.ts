/**
 * pnpm bench:issuance — 100,000 certificates from one CSV through the bulk issue job.
 *
 * Starts the real gateway, registry (with the demo catalog) and certificates (with its BullMQ worker)
 * in this process, and the ledger as its own process as it is deployed, on a fresh database.
 * Generates a CSV of recipients with valid SNILS (a quarter of them with two services, a mix of
 * categories and incomes, so coefficients and 442-FZ fees are computed), funds the programme, posts
 * the file and polls until the job is done. Checks that the programme's allocation was charged
 * exactly the sum of the issued certificates and that the ledger's invariants hold.
 * Ends with `RESULT case=issuance certificates_per_s=<n> seconds=<n>`; target ≤ 60 s.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { Money } from '@esc/money';
import { cpuBetween, createTestDatabase, httpClient, sampleCpu, startTestGateway, waitForHealth } from '@esc/testing';
import { createRegistryService } from 'registry/src/app';
import { seedRegistryDemo } from '../../../infra/dev/seed-demo';
import { createCertificatesService } from '../src/app';

const ROOT = join(__dirname, '..', '..', '..');
const CERTIFICATES = Number(process.env.BENCH_CERTIFICATES ?? 100_000);
const LEDGER_PORT = Number(process.env.BENCH_LEDGER_PORT ?? 4911);
const REGION = '73';
const HEADER = 'snils;last_name;first_name;middle_name;birth_date;district_code;address;own_income;categories;service_code;volume_per_month;months';

function snils(n: number): string {
  const body = String(200_000_000 + n);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
  let check = sum < 100 ? sum : sum % 101;
  if (check === 100) check = 0;
  return body + String(check).padStart(2, '0');
}

const LAST = ['Иванова', 'Петров', 'Сидорова', 'Кузнецов', 'Смирнова', 'Попов', 'Васильева', 'Соколов'];
const FIRST = ['Мария', 'Алексей', 'Анна', 'Пётр', 'Елена', 'Сергей', 'Ольга', 'Николай'];
const CATEGORIES = ['', '', 'rural', 'disability-group-1', 'dementia', 'rural,disability-group-1'];

function generateCsv(certificates: number): { csv: string; rows: number } {
  const lines = [HEADER];
  for (let i = 0; i < certificates; i++) {
    // Incomes from 9 000 to 34 000 ₽ in kopecks: about half above the limit (22 500 ₽), so they pay a fee.
    const kopecks = 900_000 + ((i * 7919) % 2_500_000);
    const income = `${Math.floor(kopecks / 100)},${String(kopecks % 100).padStart(2, '0')}`;
    const person = [
      snils(i),
      LAST[i % LAST.length],
      FIRST[(i >> 3) % FIRST.length],
      '',
      `${String((i % 28) + 1).padStart(2, '0')}.${String((i % 12) + 1).padStart(2, '0')}.${1930 + (i % 60)}`,
      '73701000',
      `г. Ульяновск, ул. Гончарова, д. ${(i % 90) + 1}, кв. ${(i % 200) + 1}`,
      income,
      CATEGORIES[(i >> 2) % CATEGORIES.length],
    ].join(';');
    lines.push(`${person};HOME-HOUSEHOLD-HOUR;${10 + (i % 30)};${(i % 12) + 1}`);
    if (i % 4 === 0) lines.push(`${person};HOME-PSYCH-VISIT;${1 + (i % 8)};${(i % 6) + 1}`);
  }
  return { csv: `\ufeff${lines.join('\r\n')}\r\n`, rows: lines.length - 1 };
}

async function main() {
  console.log('Starting gateway, registry and certificates in-process and the ledger as a process, on a fresh database …');
  const db = await createTestDatabase('bench_issuance');
  const gateway = await startTestGateway();
  const prefix = `bench-${randomUUID().slice(0, 8)}`;
  const common = { DATABASE_URL: db.url, JWKS_URL: gateway.jwksUrl, LOG_LEVEL: 'warn', QUEUE_PREFIX: prefix } as const;
  const ledgerUrl = `http://127.0.0.1:${LEDGER_PORT}`;
  const ledger = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'services/ledger/src/main.ts')], {
    env: { ...process.env, ...common, PORT: String(LEDGER_PORT), JOBS_ENABLED: 'false' },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const stops: Array<() => Promise<unknown>> = [];
  try {
    await waitForHealth(ledgerUrl, ledger, '/health/ready', 60_000);
    const registry = await createRegistryService({ ...common, OUTBOX_RELAY_ENABLED: false, CONSUMERS_ENABLED: false });
    stops.push(() => registry.stop());
    const registryUrl = (await registry.start(0)).url;
    await seedRegistryDemo(gateway.url, registryUrl);
    const certificates = await createCertificatesService({
      ...common,
      GATEWAY_URL: gateway.url,
      LEDGER_URL: ledgerUrl,
      REGISTRY_URL: registryUrl,
      OUTBOX_RELAY_ENABLED: false,
      JOBS_ENABLED: true,
    });
    stops.unshift(() => certificates.stop());
    const url = (await certificates.start(0)).url;
    const as = async (username: string) => httpClient(url, await gateway.signIn(username));

    const finance = await as('finance-73-a');
    await finance.post(`/v1/regions/${REGION}/parameters`, { valid_from: '2026-01-01', subsistence_minimum: '15000.00', limit_coefficient: '1.5' });
    const programme = await finance.post('/v1/budget-programmes', { region_code: REGION, code: 'ДУ-BENCH', name: 'Долговременный уход', year: 2026 });
    const funded = await finance.post(`/v1/budget-programmes/${programme.body.id}/funding`, { id: randomUUID(), amount: '100000000000.00' });
    if (funded.status !== 200) throw new Error(`funding: ${funded.status} ${JSON.stringify(funded.body)}`);

    const { csv, rows } = generateCsv(CERTIFICATES);
    console.log(`  CSV: ${rows} rows for ${CERTIFICATES} recipients, ${(Buffer.byteLength(csv) / 1e6).toFixed(1)} MB`);
    const caseworker = await as('caseworker-73');

    const database = new URL(db.url).pathname.slice(1);
    const isPostgres = (c: string) => c.startsWith('postgres: ') && c.includes(database);
    const isLedger = (c: string) => c.includes('services/ledger/src/main.ts');
    const cpuBefore = { postgres: sampleCpu(isPostgres), ledger: sampleCpu(isLedger), self: process.cpuUsage() };
    const loadBefore = loadavg()[0]!;
    const started = process.hrtime.bigint();
    const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
    const accepted = await caseworker.post('/v1/bulk-issues', { budget_programme_id: programme.body.id, region_code: REGION, file_name: 'bench.csv', csv });
    if (accepted.status !== 202) throw new Error(`POST /v1/bulk-issues: ${accepted.status} ${JSON.stringify(accepted.body)}`);
    console.log(`  accepted in ${(elapsed() * 1000).toFixed(0)} ms: ${accepted.body.id}`);

    let status: any;
    let lastPrinted = 0;
    for (;;) {
      status = (await caseworker.get(`/v1/bulk-issues/${accepted.body.id}`)).body;
      if (status.status === 'completed' || status.status === 'failed') break;
      if (elapsed() - lastPrinted >= 10) {
        lastPrinted = elapsed();
        console.log(`  ${lastPrinted.toFixed(0)} s: ${status.status} ${status.processed_rows}/${status.total_rows} rows, ${status.issued} issued`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = elapsed();
    const self = process.cpuUsage(cpuBefore.self);
    const cpu = {
      services: (self.user + self.system) / 1e6,
      ledger: cpuBetween(cpuBefore.ledger, sampleCpu(isLedger)).reduce((a, b) => a + b, 0),
      postgres: cpuBetween(cpuBefore.postgres, sampleCpu(isPostgres)).reduce((a, b) => a + b, 0),
    };
    if (status.status !== 'completed') throw new Error(`bulk issue ${status.status}: ${JSON.stringify(status.failure)}`);

    const [totals] = await certificates.orm.em
      .fork()
      .execute<Array<{ issued: number; value: string }>>(
        `select count(*)::int as issued, coalesce(sum(value), 0)::text as value from certificates.certificates where budget_programme_id = ? and status = 'issued'`,
        [programme.body.id],
      );
    const allocation = (await finance.get(`/v1/budget-programmes/${programme.body.id}`)).body;
    const invariants = (await httpClient(ledgerUrl, await gateway.serviceToken('audit-tool')).get('/v1/audit/invariants')).body;
    const committedMatches = Money.parse(allocation.committed).equals(Money.parse(totals!.value));
    console.log(`  rows: ${status.processed_rows}/${status.total_rows} processed, ${status.issued} issued, ${status.failed} failed`);
    console.log(`  certificates issued: ${totals!.issued}, total value ${totals!.value} ₽; allocation committed ${allocation.committed} ₽ (${committedMatches ? 'matches' : 'MISMATCH'})`);
    console.log(`  ledger invariants: ${invariants.ok ? 'ok' : JSON.stringify(invariants)}`);
    const perCertificate = (s: number) => `${((s * 1e6) / Math.max(1, totals!.issued)).toFixed(0)} µs`;
    console.log(
      `  CPU over ${seconds.toFixed(1)} s wall: certificates+registry+gateway ${cpu.services.toFixed(1)} s (${perCertificate(cpu.services)}/certificate), ` +
        `ledger ${cpu.ledger.toFixed(1)} s (${perCertificate(cpu.ledger)}), PostgreSQL ${cpu.postgres.toFixed(1)} s (${perCertificate(cpu.postgres)})`,
    );
    console.log(`  machine: ${cpus().length} CPUs shared with other engineers' work; load average ${loadBefore.toFixed(1)} at start, ${loadavg()[0]!.toFixed(1)} at end`);
    if (!committedMatches || !invariants.ok || totals!.issued !== CERTIFICATES) process.exitCode = 1;
    console.log(`RESULT case=issuance certificates_per_s=${(totals!.issued / seconds).toFixed(0)} seconds=${seconds.toFixed(1)}`);
  } finally {
    for (const stop of stops) await stop().catch((err: unknown) => console.error(err));
    ledger.kill('SIGTERM');
    await new Promise((r) => (ledger.exitCode !== null ? r(undefined) : ledger.once('exit', r)));
    await gateway.stop();
    await db.drop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
