import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { createRedis, type Principal } from '@esc/service-kit';
import { processBulkIssue, startBulkIssue } from '../src/domain/bulk-issues';
import { SYSTEM_PRINCIPAL } from '../src/domain/context';
import { schedulesWatchKey } from '../src/app';
import { fundRegion, ledgerAccount, recipientBody, REGION, startCertificates, type CertificatesHarness } from './harness';

let h: CertificatesHarness;
beforeAll(async () => {
  // The real BullMQ worker runs the files: JOBS_ENABLED is what production uses.
  h = await startCertificates('certificates-bulk', { JOBS_ENABLED: true });
}, 60_000);
afterAll(() => h?.stop());

const HEADER = 'snils;last_name;first_name;middle_name;birth_date;district_code;address;own_income;categories;service_code;volume_per_month;months';
let nextBody = 300_000_000 + Math.floor(Math.random() * 100_000_000);

/** A SNILS with a correct check number (and one with it broken). */
function snils(): string {
  const body = String(nextBody++);
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(body[i]) * (9 - i);
  let check = sum < 100 ? sum : sum % 101;
  if (check === 100) check = 0;
  return body + String(check).padStart(2, '0');
}
const broken = (s: string) => s.slice(0, 9) + String((Number(s.slice(9)) + 1) % 100).padStart(2, '0');

function row(fields: Partial<Record<string, string>> & { snils: string }): string {
  const r = {
    last_name: 'Петрова',
    first_name: 'Анна',
    middle_name: 'Ивановна',
    birth_date: '12.03.1948',
    district_code: '73701000',
    address: 'г. Ульяновск, ул. Минаева, д. 10, кв. 5',
    own_income: '14000',
    categories: '',
    service_code: 'HOME-HOUSEHOLD-HOUR',
    volume_per_month: '20',
    months: '6',
    ...fields,
  };
  return [r.snils, r.last_name, r.first_name, r.middle_name, r.birth_date, r.district_code, r.address, r.own_income, r.categories, r.service_code, r.volume_per_month, r.months].join(';');
}

const file = (...rows: string[]) => `\ufeff${[HEADER, ...rows].join('\r\n')}\r\n`;

async function submit(budgetProgrammeId: string, csv: string, extra: Record<string, unknown> = {}) {
  const caseworker = await h.as('caseworker-73');
  return caseworker.post('/v1/bulk-issues', { budget_programme_id: budgetProgrammeId, region_code: REGION, file_name: 'получатели.csv', csv, ...extra });
}

async function waitUntilFinished(id: string) {
  const caseworker = await h.as('caseworker-73');
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await caseworker.get(`/v1/bulk-issues/${id}`);
    if (res.body.status === 'completed' || res.body.status === 'failed') return res.body;
    if (Date.now() > deadline) throw new Error(`bulk issue ${id} still ${res.body.status}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function errorsOf(id: string) {
  const res = await (await h.as('caseworker-73')).get(`/v1/bulk-issues/${id}/errors`);
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.items.map((e: any) => [e.row_no, e])) as Record<number, { code: string; detail: string; snils: string | null }>;
}

/** The programme's certificates as the API shows them, by the holder's SNILS. */
async function certificatesOf(budgetProgrammeId: string) {
  const caseworker = await h.as('caseworker-73');
  const list = await caseworker.get('/v1/certificates?region_code=73&limit=500');
  const bySnils = new Map<string, any>();
  for (const item of list.body.items) {
    const certificate = (await caseworker.get(`/v1/certificates/${item.id}`)).body;
    if (certificate.general.budget_programme_id === budgetProgrammeId) bySnils.set(certificate.general.holder.snils, certificate);
  }
  return bySnils;
}

async function allocation(budgetProgrammeId: string) {
  const programme = await (await h.as('finance-73-a')).get(`/v1/budget-programmes/${budgetProgrammeId}`);
  return programme.body as { funded: string; committed: string; available: string; allocation_account_id: string };
}

describe('Bulk issuing from a CSV', () => {
  test('When a file mixes good and malformed rows, then the good recipients get certificates with the right values and every bad row is reported', async () => {
    const budgetProgrammeId = await fundRegion(h, '1000000.00');
    const [a, b, c, d, e, f, g, k] = Array.from({ length: 8 }, snils);
    const csv = file(
      row({ snils: a! }), // row 2: 312.40 × 20 × 6 = 37 488.00, income 14 000 ≤ limit 22 500: free
      row({ snils: a!, service_code: 'HOME-PSYCH-VISIT', volume_per_month: '4' }), // row 3: 954.30 × 4 × 6 = 22 903.20
      row({ snils: b!, last_name: 'Сидоров', first_name: 'Пётр', own_income: '30 000,00', categories: 'disability-group-1', volume_per_month: '10', months: '3' }), // row 4
      row({ snils: broken(c!) }), // row 5: check number off by one
      row({ snils: c!, birth_date: '31.02.1950' }), // row 6: no such date
      row({ snils: d!, service_code: 'HOME-PSYCH-VISIT', volume_per_month: '9' }), // row 7: the standard allows 8 a month
      row({ snils: d! }), // row 8: same recipient as row 7, so not issued either
      row({ snils: e!, first_name: '' }), // row 9: a missing value
      row({ snils: f!, service_code: 'NO-SUCH-SERVICE' }), // row 10
      row({ snils: g!, own_income: 'много' }), // row 11
      `${k};Коваленко;Ольга`, // row 12: three values instead of twelve
      row({ snils: snils(), categories: 'veteran-of-mars' }), // row 13: the registry knows no such coefficient
    );
    const before = await allocation(budgetProgrammeId);

    const accepted = await submit(budgetProgrammeId, csv);
    expect(accepted.status).toBe(202);
    expect(accepted.headers.get('location')).toBe(`/v1/bulk-issues/${accepted.body.id}`);
    expect(accepted.body).toMatchObject({ status: 'queued', total_rows: 12, processed_rows: 0 });

    const finished = await waitUntilFinished(accepted.body.id);
    expect(finished).toMatchObject({ status: 'completed', total_rows: 12, processed_rows: 12, issued: 3, failed: 9, failure: null });

    const errors = await errorsOf(accepted.body.id);
    expect(Object.keys(errors).map(Number)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(errors[5]).toMatchObject({ code: 'invalid_snils', detail: expect.stringContaining('контрольное число') });
    expect(errors[6]).toMatchObject({ code: 'invalid_date', snils: c, detail: expect.stringContaining('31.02.1950') });
    expect(errors[7]).toMatchObject({ code: 'volume_beyond_standard', detail: expect.stringContaining('8 в месяц') });
    expect(errors[8]).toMatchObject({ code: 'recipient_group_failed', detail: expect.stringContaining('строке 7') });
    expect(errors[9]).toMatchObject({ code: 'missing_value', detail: expect.stringContaining('first_name') });
    expect(errors[10]).toMatchObject({ code: 'unknown_service', detail: expect.stringContaining('NO-SUCH-SERVICE') });
    expect(errors[11]).toMatchObject({ code: 'invalid_amount', detail: expect.stringContaining('много') });
    expect(errors[12]).toMatchObject({ code: 'malformed_row', detail: expect.stringContaining('3 значений вместо 12') });
    expect(errors[13]).toMatchObject({ code: 'unknown_coefficient', detail: expect.stringContaining('veteran-of-mars') });

    const certificates = await certificatesOf(budgetProgrammeId);
    expect([...certificates.keys()].sort()).toEqual([a, b].sort());
    const first = certificates.get(a!);
    expect(first).toMatchObject({ status: 'issued', value: '60391.20', gross_amount: '60391.20', fee_amount: '0.00' });
    expect(first.general.holder.name).toBe('Петрова Анна Ивановна');
    expect(first.services.map((l: any) => [l.service_code, l.unit_cost, l.volume, l.value])).toEqual([
      ['HOME-HOUSEHOLD-HOUR', '312.40', 120, '37488.00'],
      ['HOME-PSYCH-VISIT', '954.30', 24, '22903.20'],
    ]);
    // Disability group I: 312.40 × 1.25 = 390.50 an hour, 10 hours = 3 905.00 a month.
    // Income 30 000.00 > limit 1.5 × 15 000.00 = 22 500.00: fee ≤ 50 % × 7 500.00 = 3 750.00 a month, × 3 = 11 250.00.
    // Value = 3 905.00 × 3 − 11 250.00 = 465.00.
    expect(certificates.get(b!)).toMatchObject({ status: 'issued', gross_amount: '11715.00', fee_amount: '11250.00', value: '465.00' });
    expect(certificates.get(b!).services[0]).toMatchObject({ unit_cost: '390.50', volume: 30 });
    expect(await ledgerAccount(h, first.id)).toMatchObject({ credits_posted: '60391.20', debits_posted: '0.00' });

    const after = await allocation(budgetProgrammeId);
    expect(Money.parse(before.available).subtract(Money.parse(after.available)).toString()).toBe('60856.20');
    expect(after.committed).toBe('60856.20');

    const [assessment] = await h.service.orm.em
      .fork()
      .execute(`select a.source, a.status from certificates.assessments a join certificates.programmes p on p.assessment_id = a.id where p.id = ?`, [first.general.programme_id]);
    expect(assessment).toEqual({ source: 'bulk_import', status: 'programme_drawn' });

    const report = await fetch(`${h.url}/v1/bulk-issues/${accepted.body.id}/errors?format=csv`, {
      headers: { authorization: `Bearer ${await h.gateway.signIn('caseworker-73')}` },
    });
    expect(report.status).toBe(200);
    expect(report.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await report.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).replace(/^\ufeff/, '').trim().split('\r\n');
    expect(lines[0]).toBe('row_no;snils;code;detail');
    expect(lines).toHaveLength(10);
    expect(lines[2]).toMatch(new RegExp(`^6;${c};invalid_date;`));

    const invariants = await (await h.ledger()).get('/v1/audit/invariants');
    expect(invariants.body.ok).toBe(true);
  });

  test('When the budget runs out mid-file, then the rest are refused with budget_exhausted and no certificate is half-issued', async () => {
    const budgetProgrammeId = await fundRegion(h, '100000.00');
    const people = Array.from({ length: 5 }, snils);
    const accepted = await submit(budgetProgrammeId, file(...people.map((s) => row({ snils: s }))));
    expect(accepted.status).toBe(202);

    // Each certificate is 37 488.00: two fit in 100 000.00, the third would need 112 464.00.
    const finished = await waitUntilFinished(accepted.body.id);
    expect(finished).toMatchObject({ status: 'completed', processed_rows: 5, issued: 2, failed: 3 });
    const errors = await errorsOf(accepted.body.id);
    expect(Object.keys(errors).map(Number)).toEqual([4, 5, 6]);
    for (const e of Object.values(errors)) {
      expect(e).toMatchObject({ code: 'budget_exhausted', detail: expect.stringContaining('Средства бюджетной программы') });
    }

    const certificates = await certificatesOf(budgetProgrammeId);
    expect(people.map((s) => certificates.get(s)?.status)).toEqual(['issued', 'issued', 'refused', 'refused', 'refused']);
    for (const s of people.slice(2)) {
      expect(certificates.get(s).refusal).toMatchObject({ code: 'budget_exhausted' });
      expect(await ledgerAccount(h, certificates.get(s).id)).toMatchObject({ credits_posted: '0.00', debits_posted: '0.00' });
    }
    expect(await allocation(budgetProgrammeId)).toMatchObject({ funded: '100000.00', committed: '74976.00', available: '25024.00' });
  });

  test('When a file spans many chunks and the budget runs out in the third, then certificates are issued in file order up to the budget', async () => {
    const budgetProgrammeId = await fundRegion(h, '200000.00');
    const people = Array.from({ length: 9 }, snils);
    // Queued without the worker, then run here two recipients a chunk, so chunks are written ahead of the ledger.
    const caseworker: Principal = { subject: 'caseworker:bulk-test', kind: 'user', roles: ['caseworker'], scopes: [], regionCode: REGION, expiresAt: Date.now() / 1000 + 600 };
    const { bulkIssue } = await startBulkIssue({ ...h.service.deps, bulkIssueQueue: { enqueue: async () => undefined } }, caseworker, {
      budget_programme_id: budgetProgrammeId,
      region_code: REGION,
      csv: file(...people.map((s) => row({ snils: s }))),
    });
    expect(await processBulkIssue(h.service.deps, SYSTEM_PRINCIPAL, { id: bulkIssue.id, chunk_size: 2 })).toMatchObject({ total_rows: 9, processed_rows: 9, issued: 5, failed: 4 });

    // 5 × 37 488.00 = 187 440.00 ≤ 200 000.00 < 6 × 37 488.00.
    const certificates = await certificatesOf(budgetProgrammeId);
    expect(people.map((s) => certificates.get(s)?.status)).toEqual(['issued', 'issued', 'issued', 'issued', 'issued', 'refused', 'refused', 'refused', 'refused']);
    expect(await allocation(budgetProgrammeId)).toMatchObject({ committed: '187440.00', available: '12560.00' });
    expect(Object.keys(await errorsOf(bulkIssue.id)).map(Number)).toEqual([7, 8, 9, 10]);
  });

  test('When the same bulk issue is run again, even after losing its report, then nothing is issued twice', async () => {
    const budgetProgrammeId = await fundRegion(h, '1000000.00');
    const people = Array.from({ length: 4 }, snils);
    const id = randomUUID();
    const csv = file(...people.map((s) => row({ snils: s })), row({ snils: broken(snils()) }));
    expect((await submit(budgetProgrammeId, csv, { id })).status).toBe(202);
    const first = await waitUntilFinished(id);
    expect(first).toMatchObject({ status: 'completed', issued: 4, failed: 1 });
    const issuedBefore = await certificatesOf(budgetProgrammeId);
    const committed = (await allocation(budgetProgrammeId)).committed;
    expect(committed).toBe('149952.00');

    // Sending the same request again answers the same bulk issue and does not run it again.
    const again = await submit(budgetProgrammeId, csv, { id });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id, status: 'completed', issued: 4 });

    // As if the job died after the ledger but before the report: run the processing again directly.
    const em = h.service.orm.em.fork();
    await em.execute(`delete from certificates.bulk_issue_rows where bulk_issue_id = ?`, [id]);
    await em.execute(`update certificates.bulk_issues set status = 'running', processed_rows = 0, issued = 0, failed = 0 where id = ?`, [id]);
    await em.execute(`update certificates.certificates set status = 'issuing' where id = ?`, [issuedBefore.get(people[0]!).id]);
    const rerun = await processBulkIssue(h.service.deps, SYSTEM_PRINCIPAL, { id, chunk_size: 2 });
    expect(rerun).toMatchObject({ processed_rows: 5, issued: 4, failed: 1 });
    expect(await processBulkIssue(h.service.deps, SYSTEM_PRINCIPAL, { id })).toMatchObject({ processed_rows: 5, issued: 4 });

    const issuedAfter = await certificatesOf(budgetProgrammeId);
    expect(issuedAfter.size).toBe(4);
    expect(people.map((s) => issuedAfter.get(s).id)).toEqual(people.map((s) => issuedBefore.get(s).id));
    expect(people.map((s) => issuedAfter.get(s).status)).toEqual(['issued', 'issued', 'issued', 'issued']);
    expect((await allocation(budgetProgrammeId)).committed).toBe(committed);
    expect(await ledgerAccount(h, issuedAfter.get(people[0]!).id)).toMatchObject({ credits_posted: '37488.00' });
    const [recipients] = await em.execute<Array<{ count: number }>>(`select count(*)::int as count from certificates.recipients where snils = any(?::text[])`, [`{${people.join(',')}}`]);
    expect(recipients!.count).toBe(4);
  });

  test('When Redis comes back empty with bulk issues queued or running, then their jobs are queued again and each certificate is issued once', async () => {
    const budgetProgrammeId = await fundRegion(h, '1000000.00');
    const { queue } = h.service;
    const people = Array.from({ length: 4 }, snils);
    let ids: string[];
    // No worker takes jobs while the queue is paused: the files stay accepted and not yet run.
    await queue.pause();
    try {
      const queued = await submit(budgetProgrammeId, file(row({ snils: people[0]! }), row({ snils: people[1]! })));
      const running = await submit(budgetProgrammeId, file(row({ snils: people[2]! }), row({ snils: people[3]! })));
      expect([queued.status, running.status]).toEqual([202, 202]);
      ids = [queued.body.id, running.body.id];
      const caseworker = await h.as('caseworker-73');
      for (const id of ids) expect((await caseworker.get(`/v1/bulk-issues/${id}`)).body).toMatchObject({ status: 'queued', processed_rows: 0 });
      // As if the second one's job had started when Redis died.
      await h.service.orm.em.fork().execute(`update certificates.bulk_issues set status = 'running', started_at = now() where id = ?`, [ids[1]]);

      // What a Redis restarted without persistence leaves: no jobs, no key saying what was put back.
      for (const id of ids) await queue.remove(id);
      expect(await Promise.all(ids.map((id) => queue.getJob(id)))).toEqual([undefined, undefined]);
      const redis = createRedis(h.service.config.REDIS_URL);
      await redis.del(schedulesWatchKey(h.service.config));
      await redis.quit();
      await h.service.checkRedisEmptied();
      expect((await Promise.all(ids.map((id) => queue.getJob(id)))).map((job) => job?.id)).toEqual(ids);
    } finally {
      await queue.resume();
    }

    for (const id of ids) expect(await waitUntilFinished(id)).toMatchObject({ status: 'completed', processed_rows: 2, issued: 2, failed: 0 });
    const certificates = await certificatesOf(budgetProgrammeId);
    expect(certificates.size).toBe(4);
    expect(people.map((s) => certificates.get(s)?.status)).toEqual(['issued', 'issued', 'issued', 'issued']);
    for (const s of people) expect(await ledgerAccount(h, certificates.get(s).id)).toMatchObject({ credits_posted: '37488.00' });
    expect(await allocation(budgetProgrammeId)).toMatchObject({ committed: '149952.00' });
    const [written] = await h.service.orm.em
      .fork()
      .execute<Array<{ count: number }>>(`select count(*)::int as count from certificates.certificates where budget_programme_id = ?`, [budgetProgrammeId]);
    expect(written!.count).toBe(4);
  });

  test('When a SNILS is already in the register, then the registered person gets the certificate, and a file naming someone else is refused', async () => {
    const budgetProgrammeId = await fundRegion(h, '1000000.00');
    const caseworker = await h.as('caseworker-73');
    const [known, other] = [snils(), snils()];
    const registered = await caseworker.post('/v1/recipients', recipientBody({ snils: known, last_name: 'Фёдорова', first_name: 'Мария', birth_date: '1948-03-12' }));
    expect(registered.status).toBe(201);
    expect((await caseworker.post('/v1/recipients', recipientBody({ snils: other, last_name: 'Зуев', first_name: 'Иван', birth_date: '1951-05-05' }))).status).toBe(201);

    const accepted = await submit(
      budgetProgrammeId,
      file(
        row({ snils: known, last_name: 'ФЕДОРОВА', first_name: 'мария', birth_date: '12.03.1948' }), // row 2: the same person, written differently
        row({ snils: other, last_name: 'Зуев', first_name: 'Иван', birth_date: '06.05.1951' }), // row 3: another birth date
      ),
    );
    expect(await waitUntilFinished(accepted.body.id)).toMatchObject({ status: 'completed', issued: 1, failed: 1 });
    const certificates = await certificatesOf(budgetProgrammeId);
    expect(certificates.get(known).general.holder).toMatchObject({ recipient_id: registered.body.id, name: 'Фёдорова Мария Петровна' });
    expect(certificates.has(other)).toBe(false);
    expect((await errorsOf(accepted.body.id))[3]).toMatchObject({ code: 'recipient_mismatch', detail: expect.stringContaining('Зуев Иван') });
  });

  test('When the file has no required column, is empty, or comes from another region, then it is refused before any work with a problem', async () => {
    const budgetProgrammeId = await fundRegion(h, '1000.00');
    const noMonths = await submit(budgetProgrammeId, `${HEADER.replace(';months', '')}\n${row({ snils: snils() })}`);
    expect(noMonths.status).toBe(400);
    expect(noMonths.headers.get('content-type')).toContain('application/problem+json');
    expect(noMonths.body).toMatchObject({ code: 'csv_missing_columns', missing_columns: ['months'] });

    const headerOnly = await submit(budgetProgrammeId, `${HEADER}\r\n`);
    expect(headerOnly.body).toMatchObject({ status: 400, code: 'csv_empty' });

    const noCsv = await (await h.as('caseworker-73')).post('/v1/bulk-issues', { budget_programme_id: budgetProgrammeId, region_code: REGION });
    expect(noCsv.status).toBe(400);
    expect(noCsv.body.errors).toEqual([expect.objectContaining({ field: 'csv' })]);

    const otherRegion = await (await h.as('caseworker-77')).post('/v1/bulk-issues', { budget_programme_id: budgetProgrammeId, region_code: REGION, csv: file(row({ snils: snils() })) });
    expect(otherRegion.status).toBe(403);

    const citizen = await (await h.as('citizen-ivanova')).post('/v1/bulk-issues', { budget_programme_id: budgetProgrammeId, region_code: REGION, csv: file(row({ snils: snils() })) });
    expect(citizen.status).toBe(403);
  });

  test('When a file uses commas and ISO dates, then it is read the same way', async () => {
    const budgetProgrammeId = await fundRegion(h, '1000000.00');
    const person = snils();
    const csv = `${HEADER.replace(/;/g, ',')}\n${person},Орлова,Вера,,1950-07-01,73701000,"г. Ульяновск, ул. Гончарова, д. 1",14000.00,,HOME-HOUSEHOLD-HOUR,20,6\n`;
    const accepted = await submit(budgetProgrammeId, csv);
    expect(accepted.status).toBe(202);
    expect(await waitUntilFinished(accepted.body.id)).toMatchObject({ status: 'completed', issued: 1, failed: 0 });
    const certificate = (await certificatesOf(budgetProgrammeId)).get(person);
    expect(certificate).toMatchObject({ status: 'issued', value: '37488.00' });
    expect(certificate.general.holder.name).toBe('Орлова Вера');

    const stranger = await (await h.as('caseworker-77')).get(`/v1/bulk-issues/${accepted.body.id}`);
    expect(stranger.status).toBe(403);
  });
});
