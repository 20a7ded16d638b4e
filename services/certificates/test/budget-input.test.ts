import { randomUUID } from 'node:crypto';
import { ledgerAccountIds } from '@esc/ledger-client';
import { httpClient } from '@esc/testing';
import { createCertificatesService } from '../src/app';
import { calendarYears } from '../src/domain/working-days';
import { fundRegion, recipientBody, REGION, startCertificates, type CertificatesHarness } from './harness';

/**
 * Issue 17: malformed or conflicting requests, and deadlines past the production calendar, are 4xx
 * problems with a stable code; earlier text: malformed or conflicting requests to certificates are 4xx problems with a stable code,
 * never 500 — a budget programme id reused with other fields, text PostgreSQL cannot store.
 */
let h: CertificatesHarness;
beforeAll(async () => {
  h = await startCertificates('certificates-budget-input');
}, 60_000);
afterAll(() => h?.stop());

const programmeRow = (id: string) => h.service.orm.em.fork().execute(`select id, code, region_code from certificates.budget_programmes where id = ?`, [id]);

describe('a budget programme id chosen by the client', () => {
  it('When the same id comes again with another code, then the answer is 409 budget_programme_conflict and the first programme is unchanged', async () => {
    const finance = await h.as('finance-73-a');
    const id = randomUUID();
    const code = `ДУ-${randomUUID().slice(0, 6)}`;
    const first = await finance.post('/v1/budget-programmes', { id, region_code: REGION, code, name: 'Долговременный уход', year: 2026 });
    expect(first.status).toBe(201);
    // The same request again is the same programme.
    expect((await finance.post('/v1/budget-programmes', { id, region_code: REGION, code, name: 'Долговременный уход', year: 2026 })).status).toBe(201);

    const other = await finance.post('/v1/budget-programmes', { id, region_code: REGION, code: `${code}-Б`, name: 'Другая', year: 2027 });
    expect(other.status).toBe(409);
    expect(other.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(other.body).toMatchObject({ code: 'budget_programme_conflict', budget_programme_id: id });
    expect(other.body.detail).toContain(code);
    expect(await programmeRow(id)).toEqual([{ id, code, region_code: REGION }]);
    expect((await (await h.ledger()).get(`/v1/accounts/${ledgerAccountIds.budgetAllocation(id)}`)).body.metadata).toEqual({ code, year: 2026 });
  });

  it('When the ledger already holds the id with other fields, then the answer is 409 budget_programme_conflict and no row is left behind', async () => {
    const finance = await h.as('finance-73-a');
    const id = randomUUID();
    const code = `ДУ-${randomUUID().slice(0, 6)}`;
    expect((await finance.post('/v1/budget-programmes', { id, region_code: REGION, code, name: 'Долговременный уход', year: 2026 })).status).toBe(201);
    // The ledger's account outlives the local row (restored from an older backup, say).
    await h.service.orm.em.fork().execute(`delete from certificates.budget_programmes where id = ?`, [id]);

    const res = await finance.post('/v1/budget-programmes', { id, region_code: REGION, code: `${code}-Б`, name: 'Другая', year: 2026 });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ code: 'budget_programme_conflict', budget_programme_id: id });
    expect(await programmeRow(id)).toEqual([]);
  });

  it('When a funding id is reused with another amount, then the answer is a 409, not 500', async () => {
    const finance = await h.as('finance-73-a');
    const programme = await fundRegion(h, '100.00');
    const funding = randomUUID();
    expect((await finance.post(`/v1/budget-programmes/${programme}/funding`, { id: funding, amount: '10.00' })).status).toBe(200);
    const res = await finance.post(`/v1/budget-programmes/${programme}/funding`, { id: funding, amount: '20.00' });
    expect(res.status).toBe(409);
    expect(res.body.code).toEqual(expect.any(String));
  });
});

describe('text PostgreSQL cannot store', () => {
  it('When a recipient address or a programme name carries a NUL or a lone surrogate, then the answer is 400 invalid_characters naming the field, and nothing is written', async () => {
    const caseworker = await h.as('caseworker-73');
    const recipient = await caseworker.post('/v1/recipients', recipientBody({ snils: '11223344595', address: 'г. Ульяновск\u0000', household: [] }));
    expect(recipient.status).toBe(400);
    expect(recipient.body).toMatchObject({ code: 'invalid_characters', errors: [{ field: 'address', message: expect.any(String) }] });

    const finance = await h.as('finance-73-a');
    const id = randomUUID();
    const programme = await finance.post('/v1/budget-programmes', `{"id":"${id}","region_code":"${REGION}","code":"ДУ-surrogate","name":"Уход \\ud800","year":2026}`);
    expect(programme.status).toBe(400);
    expect(programme.body).toMatchObject({ code: 'invalid_characters', errors: [{ field: 'name' }] });
    expect(programme.body.detail).toContain('name');
    expect(await programmeRow(id)).toEqual([]);
  });

  it('When a path value carries %00, then the answer is 400 invalid_characters', async () => {
    const finance = await h.as('finance-73-a');
    const res = await finance.get('/v1/budget-programmes/abc%00');
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('invalid_characters');
  });

  it('When a ledger transfer reference carries a NUL, then the ledger answers 400 invalid_characters through its fast route', async () => {
    const ledger = await h.asService('certificates', h.ledgerUrl);
    // The caller may transfer: the request is served by the fast route, not refused for its token.
    const allowed = await ledger.post('/v1/transfers', { transfers: [{ id: randomUUID(), debit_account_id: randomUUID(), credit_account_id: randomUUID(), amount: '1.00', code: 'redeem', reference: 'акт' }] });
    expect([400, 401, 403]).not.toContain(allowed.status);
    const res = await ledger.post('/v1/transfers', {
      transfers: [{ id: randomUUID(), debit_account_id: randomUUID(), credit_account_id: randomUUID(), amount: '1.00', code: 'redeem', reference: 'акт\u0000' }],
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_characters', errors: [{ field: 'transfers[0].reference' }] });
  });
});

describe('the production calendar ends', () => {
  // Only Date is faked: the services' timers, sockets and queues keep real time.
  const onlyDate: Parameters<typeof jest.useFakeTimers>[0] = { doNotFake: ['hrtime', 'nextTick', 'performance', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'requestIdleCallback', 'cancelIdleCallback', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout'] };
  const lastYear = calendarYears().at(-1)!;
  afterEach(() => jest.useRealTimers());

  it('When an assessment opened late in the last known year has deadlines in the next, then the answer is 422 calendar_year_missing and nothing is recorded', async () => {
    const caseworker = await h.as('caseworker-73');
    const recipient = await caseworker.post('/v1/recipients', recipientBody({ snils: '12345678964', last_name: 'Смирнов', first_name: 'Иван' }));
    expect(recipient.status).toBe(201);
    const before = await h.service.orm.em.fork().execute(`select count(*)::int as n from certificates.assessments where recipient_id = ?`, [recipient.body.id]);

    jest.useFakeTimers({ ...onlyDate, now: new Date(`${lastYear}-12-28T09:00:00+03:00`) });
    const lateCaseworker = httpClient(h.url, await h.gateway.signIn('caseworker-73'));
    const res = await lateCaseworker.post('/v1/assessments', { recipient_id: recipient.body.id, reason: 'Заявление' });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'calendar_year_missing', year: lastYear + 1 });
    expect(res.body.detail).toContain(`${lastYear + 1} года`);
    jest.useRealTimers();
    expect(await h.service.orm.em.fork().execute(`select count(*)::int as n from certificates.assessments where recipient_id = ?`, [recipient.body.id])).toEqual(before);
  });

  it('When the service starts in a year its calendar lacks, then start-up fails naming the year', async () => {
    jest.useFakeTimers({ ...onlyDate, now: new Date(`${lastYear + 1}-01-15T09:00:00+03:00`) });
    await expect(createCertificatesService({ ...h.service.config, RUN_MIGRATIONS: false })).rejects.toThrow(`The production calendar has no ${lastYear + 1}`);
  });
});
