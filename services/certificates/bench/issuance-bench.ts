/**
 * pnpm bench:issuance — 100,000 certificates from one CSV through the bulk issue job.
 *
 * Starts the real gateway, ledger, registry (with the demo catalog) and certificates (with its BullMQ
 * worker) in this process, as the tests do, on a fresh database. Generates a CSV of recipients with
 * valid SNILS (a quarter of them with two services, a mix of categories and incomes, so fees and
 * coefficients are computed), funds the programme, posts the file and polls until the job is done.
 * Ends with `RESULT case=issuance certificates_per_s=<n> seconds=<n>`; target ≤ 60 s.
 */
import { Money } from '@esc/money';
import { fundRegion, REGION, startCertificates } from '../test/harness';

const CERTIFICATES = Number(process.env.BENCH_CERTIFICATES ?? 100_000);
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
const INCOMES = ['14000', '9800,50', '22500', '26 000,00', '31000', '18250,75'];

function generateCsv(certificates: number): { csv: string; rows: number } {
  const lines = [HEADER];
  for (let i = 0; i < certificates; i++) {
    const s = snils(i);
    const person = [
      s,
      LAST[i % LAST.length],
      FIRST[(i >> 3) % FIRST.length],
      '',
      `${String((i % 28) + 1).padStart(2, '0')}.${String((i % 12) + 1).padStart(2, '0')}.${1930 + (i % 60)}`,
      '73701000',
      `г. Ульяновск, ул. Гончарова, д. ${(i % 90) + 1}, кв. ${(i % 200) + 1}`,
      INCOMES[i % INCOMES.length],
      CATEGORIES[(i >> 2) % CATEGORIES.length],
    ].join(';');
    lines.push(`${person};HOME-HOUSEHOLD-HOUR;${10 + (i % 30)};${(i % 12) + 1}`);
    if (i % 4 === 0) lines.push(`${person};HOME-PSYCH-VISIT;${1 + (i % 8)};${(i % 6) + 1}`);
  }
  return { csv: `\ufeff${lines.join('\r\n')}\r\n`, rows: lines.length - 1 };
}

async function main() {
  console.log(`Starting gateway, ledger, registry and certificates in-process on a fresh database …`);
  const h = await startCertificates('bench_issuance', { JOBS_ENABLED: true });
  try {
    const budgetProgrammeId = await fundRegion(h, '100000000000.00');
    const { csv, rows } = generateCsv(CERTIFICATES);
    console.log(`  CSV: ${rows} rows for ${CERTIFICATES} recipients, ${(Buffer.byteLength(csv) / 1e6).toFixed(1)} MB`);
    const caseworker = await h.as('caseworker-73');

    const started = process.hrtime.bigint();
    const accepted = await caseworker.post('/v1/bulk-issues', { budget_programme_id: budgetProgrammeId, region_code: REGION, file_name: 'bench.csv', csv });
    if (accepted.status !== 202) throw new Error(`POST /v1/bulk-issues: ${accepted.status} ${JSON.stringify(accepted.body)}`);
    const acceptedMs = Number(process.hrtime.bigint() - started) / 1e6;
    console.log(`  accepted in ${acceptedMs.toFixed(0)} ms: ${accepted.body.id}`);

    let status: any;
    let lastPrinted = 0;
    for (;;) {
      status = (await caseworker.get(`/v1/bulk-issues/${accepted.body.id}`)).body;
      const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
      if (status.status === 'completed' || status.status === 'failed') break;
      if (elapsed - lastPrinted >= 5) {
        lastPrinted = elapsed;
        console.log(`  ${elapsed.toFixed(0)} s: ${status.status} ${status.processed_rows}/${status.total_rows} rows, ${status.issued} issued`);
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (status.status !== 'completed') throw new Error(`bulk issue ${status.status}: ${JSON.stringify(status.failure)}`);

    const em = h.service.orm.em.fork();
    const [totals] = await em.execute<Array<{ issued: number; value: string }>>(
      `select count(*)::int as issued, coalesce(sum(value), 0)::text as value from certificates.certificates where budget_programme_id = ? and status = 'issued'`,
      [budgetProgrammeId],
    );
    const programme = (await (await h.as('finance-73-a')).get(`/v1/budget-programmes/${budgetProgrammeId}`)).body;
    const invariants = (await (await h.ledger()).get('/v1/audit/invariants')).body;
    const committedMatches = Money.parse(programme.committed).equals(Money.parse(totals!.value));
    console.log(`  rows: ${status.processed_rows}/${status.total_rows} processed, ${status.issued} issued, ${status.failed} failed`);
    console.log(`  certificates issued: ${totals!.issued}, total value ${totals!.value} ₽; allocation committed ${programme.committed} ₽ (${committedMatches ? 'matches' : 'MISMATCH'})`);
    console.log(`  ledger invariants: ${invariants.ok ? 'ok' : JSON.stringify(invariants)}`);
    console.log(`  machine: ${require('node:os').cpus().length} CPUs shared with other work; all services and PostgreSQL on this host`);
    if (!committedMatches || !invariants.ok || totals!.issued !== CERTIFICATES) process.exitCode = 1;
    console.log(`RESULT case=issuance certificates_per_s=${(totals!.issued / seconds).toFixed(0)} seconds=${seconds.toFixed(1)}`);
  } finally {
    await h.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
