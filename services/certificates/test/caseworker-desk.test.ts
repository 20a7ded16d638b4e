import { bookedAndAccepted, fundRegion, issueFor, IVANOVA_SNILS, nextSnils, recipientBody, startCertificates, ULYANOVSK, ZABOTA_ID, type CertificatesHarness } from './harness';

/**
 * The case worker's desk over HTTP: the work queue with its 442-FZ deadlines (overdue first, filters by
 * state and district), finding a person by SNILS or name in the worker's region, the region's budget
 * programmes with what is left, and the quote that shows an issue's value and fee before it is made.
 */
let h: CertificatesHarness;
let now: Date | undefined;
beforeAll(async () => {
  h = await startCertificates('certificates-desk', {}, {}, { clock: () => now ?? new Date() });
}, 60_000);
afterAll(() => h?.stop());

const OTHER_DISTRICT = '73636000';

async function register(overrides: Record<string, unknown>) {
  const res = await (await h.as('caseworker-73')).post('/v1/recipients', recipientBody({ snils: nextSnils(), ...overrides }));
  expect(res.status).toBe(201);
  return res.body as { id: string; snils: string };
}

async function open(recipientId: string) {
  const res = await (await h.as('caseworker-73')).post('/v1/assessments', { recipient_id: recipientId, reason: 'Заявление' });
  expect(res.status).toBe(201);
  return res.body as { id: string; decision_due: string; programme_due: string };
}

describe('The work queue', () => {
  test('When assessments were opened weeks apart, then the queue lists those under way by their running deadline with the overdue first, and filters by state and district', async () => {
    now = new Date('2026-11-02T09:00:00Z');
    const old = await register({ last_name: 'Очередная', first_name: 'Старая' });
    const oldAssessment = await open(old.id);
    const recognisedPerson = await register({ last_name: 'Очередная', first_name: 'Признанная', district_code: `${OTHER_DISTRICT}101` });
    const recognised = await open(recognisedPerson.id);
    expect((await (await h.as('caseworker-73')).post(`/v1/assessments/${recognised.id}/decision`, { decision: 'recognised' })).status).toBe(200);
    now = new Date('2026-12-07T09:00:00Z');
    const fresh = await register({ last_name: 'Очередная', first_name: 'Новая' });
    const freshAssessment = await open(fresh.id);
    const refusedPerson = await register({ last_name: 'Очередная', first_name: 'Отказанная' });
    const refused = await open(refusedPerson.id);
    expect((await (await h.as('caseworker-73')).post(`/v1/assessments/${refused.id}/decision`, { decision: 'refused', refusal_code: 'not_resident' })).status).toBe(200);

    const caseworker = await h.as('caseworker-73');
    const queue = await caseworker.get('/v1/assessments?region_code=73');
    expect(queue.status).toBe(200);
    expect(queue.body.today).toBe('2026-12-07');
    const ours = queue.body.items.filter((a: any) => a.recipient.full_name.startsWith('Очередная'));
    expect(ours.map((a: any) => [a.recipient.full_name, a.status, a.deadline, a.overdue])).toEqual([
      ['Очередная Старая Петровна', 'open', 'decision', true],
      ['Очередная Признанная Петровна', 'recognised', 'programme', true],
      ['Очередная Новая Петровна', 'open', 'decision', false],
    ]);
    expect(ours[0]).toMatchObject({ id: oldAssessment.id, due: oldAssessment.decision_due, recipient: { id: old.id, snils: old.snils, district_code: ULYANOVSK } });
    expect(ours[1]).toMatchObject({ due: recognised.programme_due, recipient: { district_code: `${OTHER_DISTRICT}101` } });
    expect(ours[2]).toMatchObject({ id: freshAssessment.id, due: freshAssessment.decision_due });

    const refusedOnly = await caseworker.get('/v1/assessments?region_code=73&status=refused');
    expect(refusedOnly.body.items.map((a: any) => a.id)).toContain(refused.id);
    expect(refusedOnly.body.items.every((a: any) => a.status === 'refused' && a.deadline === null && a.due === null && a.overdue === false)).toBe(true);
    expect(refusedOnly.body.items.find((a: any) => a.id === refused.id).refusal.code).toBe('not_resident');

    const inDistrict = await caseworker.get(`/v1/assessments?region_code=73&district_code=${OTHER_DISTRICT}`);
    expect(inDistrict.body.items.map((a: any) => a.id)).toEqual([recognised.id]);

    const ofPerson = await caseworker.get(`/v1/assessments?region_code=73&status=open&recipient_id=${fresh.id}`);
    expect(ofPerson.body.items.map((a: any) => a.id)).toEqual([freshAssessment.id]);
    now = undefined;
  });

  test('When a case worker of another region, an auditor or a citizen asks for the queue, or the query is malformed, then it is refused', async () => {
    expect((await (await h.as('caseworker-77')).get('/v1/assessments?region_code=73')).body.code).toBe('outside_your_region');
    expect((await (await h.as('auditor')).get('/v1/assessments?region_code=73')).status).toBe(403);
    expect((await (await h.as('citizen-ivanova')).get('/v1/assessments?region_code=73')).status).toBe(403);
    const caseworker = await h.as('caseworker-73');
    expect((await caseworker.get('/v1/assessments')).status).toBe(400);
    expect((await caseworker.get('/v1/assessments?region_code=73&status=closed')).body.code).toBe('validation_failed');
    expect((await caseworker.get('/v1/assessments?region_code=73&district_code=abc')).status).toBe(400);
    expect((await caseworker.get('/v1/assessments?region_code=73&limit=501')).status).toBe(400);
    expect((await caseworker.get('/v1/assessments?region_code=73&sort=due')).status).toBe(400);
  });
});

describe('Finding a recipient', () => {
  test('When a case worker types a SNILS (with separators or its beginning) or a name, then the region\'s matching recipients come back, and nobody from another region', async () => {
    const snils = nextSnils();
    const person = await register({ snils, last_name: 'Поисковая', first_name: 'Зинаида', middle_name: 'Львовна' });
    await register({ last_name: 'Поисковая', first_name: 'Анна', middle_name: null });
    const elsewhere = await (await h.as('caseworker-77')).post('/v1/recipients', recipientBody({ snils: nextSnils(), region_code: '77', last_name: 'Поисковая', first_name: 'Москвичка', district_code: '45000000' }));
    expect(elsewhere.status).toBe(201);
    const caseworker = await h.as('caseworker-73');

    const formatted = `${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)}`;
    const bySnils = await caseworker.get(`/v1/recipients?region_code=73&q=${encodeURIComponent(formatted)}`);
    expect(bySnils.status).toBe(200);
    expect(bySnils.body.items.map((r: any) => r.id)).toEqual([person.id]);
    expect(bySnils.body.items[0]).toMatchObject({ snils, household: [], per_capita_income: { rounded: '14000.00' } });
    expect((await caseworker.get(`/v1/recipients?region_code=73&q=${snils.slice(0, 6)}`)).body.items.map((r: any) => r.id)).toContain(person.id);

    const byName = await caseworker.get(`/v1/recipients?region_code=73&q=${encodeURIComponent('поисковая')}`);
    expect(byName.body.items.map((r: any) => `${r.last_name} ${r.first_name}`)).toEqual(['Поисковая Анна', 'Поисковая Зинаида']);
    const byFullName = await caseworker.get(`/v1/recipients?region_code=73&q=${encodeURIComponent('Поиск Зин Льв')}`);
    expect(byFullName.body.items.map((r: any) => r.id)).toEqual([person.id]);
    expect((await caseworker.get(`/v1/recipients?region_code=73&q=${encodeURIComponent('Поиск%')}`)).body.items).toEqual([]);
    expect((await caseworker.get(`/v1/recipients?region_code=73&q=${encodeURIComponent('Поисковая')}&limit=1`)).body.items).toHaveLength(1);
  });

  test('When the query is too short, or the caller is not a case worker of the region, then it is refused', async () => {
    const caseworker = await h.as('caseworker-73');
    const short = await caseworker.get('/v1/recipients?region_code=73&q=12');
    expect(short.status).toBe(400);
    expect(short.body.errors).toEqual([{ field: 'q', message: expect.stringContaining('СНИЛС') }]);
    expect((await caseworker.get(`/v1/recipients?region_code=73&q=${encodeURIComponent('И ')}`)).status).toBe(400);
    expect((await caseworker.get('/v1/recipients?region_code=73')).status).toBe(400);
    expect((await (await h.as('caseworker-77')).get(`/v1/recipients?region_code=73&q=${encodeURIComponent('Иванова')}`)).body.code).toBe('outside_your_region');
    expect((await (await h.as('finance-73-a')).get(`/v1/recipients?region_code=73&q=${encodeURIComponent('Иванова')}`)).status).toBe(403);
  });
});

describe('The quote before an issue', () => {
  test('When a case worker asks for the quote of a drawn programme, then it shows the value, the fee worked out and the allocation left, and the issue that follows gives exactly that', async () => {
    const budgetProgrammeId = await fundRegion(h, '100000.00');
    const caseworker = await h.as('caseworker-73');
    const person = await register({ own_income: '30000.00', household: [{ relation: 'супруга', full_name: 'Смирнова Ольга Ивановна', monthly_income: '16666.66' }] });
    const assessment = await open(person.id);
    await caseworker.post(`/v1/assessments/${assessment.id}/decision`, { decision: 'recognised' });
    const programme = await caseworker.post(`/v1/assessments/${assessment.id}/programme`, { lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 20, months: 6 }] });
    expect(programme.status).toBe(201);

    const list = await caseworker.get('/v1/budget-programmes?region_code=73');
    expect(list.status).toBe(200);
    expect(list.body.items.find((p: any) => p.id === budgetProgrammeId)).toMatchObject({ available: '100000.00', balance_unavailable: false });

    const quote = await caseworker.get(`/v1/programmes/${programme.body.id}/quote?budget_programme_id=${budgetProgrammeId}`);
    expect(quote.status).toBe(200);
    // I = (30 000.00 + 16 666.66) / 2 = 23 333.33; L = 1.5 × 15 000.00 = 22 500.00; cap = 50 % × 833.33 = 416.665 → 416.67 a month.
    expect(quote.body).toMatchObject({
      programme_id: programme.body.id,
      recipient_id: person.id,
      gross_amount: '37488.00',
      fee_amount: '2500.02',
      value: '34987.98',
      covered: true,
      available_after: '65012.02',
      budget_programme: { id: budgetProgrammeId, available: '100000.00' },
      fee_calculation: { rule: 'capped', per_capita_income: '23333.33', limit_income: '22500.00', monthly_cap_home_and_day_care: { exact: '416.665', rounded: '416.67' }, income: { persons: 2 } },
      lines: [{ line_no: 1, service_code: 'HOME-HOUSEHOLD-HOUR', unit_cost: '312.40', volume: 120, gross_amount: '37488.00', fee_amount: '2500.02', value: '34987.98' }],
    });

    const issued = await caseworker.post('/v1/certificates', { programme_id: programme.body.id, budget_programme_id: budgetProgrammeId });
    expect(issued.status).toBe(201);
    expect(issued.body.value).toBe(quote.body.value);
    expect(issued.body.general.fee_calculation).toEqual(quote.body.fee_calculation);
    expect(issued.body.general.valid_to).toBe(quote.body.valid_to);
    const after = await caseworker.get(`/v1/budget-programmes/${budgetProgrammeId}`);
    expect(after.body.available).toBe(quote.body.available_after);
  });

  test('When the allocation cannot cover the value, then the quote says so before the issue is refused', async () => {
    const budgetProgrammeId = await fundRegion(h, '100.00');
    const fixture = await issueFor(h, await fundRegion(h, '1000000.00'), { recipient: { snils: nextSnils() } });
    const quote = await (await h.as('caseworker-73')).get(`/v1/programmes/${fixture.programmeId}/quote?budget_programme_id=${budgetProgrammeId}`);
    expect(quote.status).toBe(200);
    expect(quote.body).toMatchObject({ value: '37488.00', covered: false, available_after: '-37388.00', fee_calculation: { rule: 'free', months: [] } });
  });

  test('When the programme or budget programme is unknown, the date is past, or the caller is not the region\'s case worker, then the quote is refused', async () => {
    const budgetProgrammeId = await fundRegion(h, '1000.00');
    const fixture = await issueFor(h, await fundRegion(h, '1000000.00'), { recipient: { snils: nextSnils() } });
    const caseworker = await h.as('caseworker-73');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await caseworker.get(`/v1/programmes/${unknown}/quote?budget_programme_id=${budgetProgrammeId}`)).body.code).toBe('programme_not_found');
    expect((await caseworker.get(`/v1/programmes/${fixture.programmeId}/quote?budget_programme_id=${unknown}`)).body.code).toBe('budget_programme_not_found');
    expect((await caseworker.get(`/v1/programmes/${fixture.programmeId}/quote`)).status).toBe(400);
    expect((await caseworker.get(`/v1/programmes/${fixture.programmeId}/quote?budget_programme_id=${budgetProgrammeId}&valid_from=2020-01-01`)).body.errors).toEqual([
      { field: 'valid_from', message: expect.stringContaining('не раньше') },
    ]);
    expect((await (await h.as('caseworker-77')).get(`/v1/programmes/${fixture.programmeId}/quote?budget_programme_id=${budgetProgrammeId}`)).body.code).toBe('outside_your_region');
    expect((await (await h.as('citizen-ivanova')).get(`/v1/programmes/${fixture.programmeId}/quote?budget_programme_id=${budgetProgrammeId}`)).status).toBe(403);
    expect((await (await h.as('caseworker-77')).get('/v1/budget-programmes?region_code=73')).body.code).toBe('outside_your_region');
    expect((await (await h.as('citizen-ivanova')).get('/v1/budget-programmes?region_code=73')).status).toBe(403);
  });
});

describe('Acting for a citizen', () => {
  test('When a case worker books for a citizen, then the citizen\'s history names the worker on what the worker did, and nobody on what the citizen did', async () => {
    const budgetProgrammeId = await fundRegion(h, '1000000.00');
    const fixture = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
    const caseworker = await h.as('caseworker-73');
    const line = fixture.certificate.services[0];
    const booking = await caseworker.post(`/v1/certificates/${fixture.certificate.id}/bookings`, { line_id: line.line_id, provider_id: ZABOTA_ID, units: 10 });
    expect(booking.status).toBe(201);

    const history = await caseworker.get(`/v1/me/requests?recipient_id=${fixture.recipientId}`);
    expect(history.status).toBe(200);
    const byKind = Object.fromEntries(history.body.items.map((i: any) => [i.kind, i]));
    const worker = { subject: expect.stringMatching(/^caseworker:/), name: 'Морозова Елена Александровна' };
    expect(byKind.booking.acted_by).toEqual(worker);
    expect(byKind.certificate.acted_by).toEqual(worker);
    expect(byKind.assessment.acted_by).toEqual(worker);

    const list = await caseworker.get(`/v1/certificates?recipient_id=${fixture.recipientId}`);
    expect(list.body.items[0]).toMatchObject({ id: fixture.certificate.id, programme_id: fixture.programmeId });
  });

  test('When an administrator confirms an act for a citizen (the fast route), then the act in the history names him', async () => {
    const budgetProgrammeId = await fundRegion(h, '1000000.00');
    const booked = await bookedAndAccepted(h, budgetProgrammeId);
    const act = await (await h.as('zabota-admin')).post(`/v1/bookings/${booked.booking.id}/deliveries`, {
      delivered_on: booked.certificate.general.valid_from,
      units: 2,
      staff: { name: 'Попова Анна Сергеевна', position: 'социальный работник' },
    });
    expect(act.status).toBe(201);
    expect((await (await h.as('admin')).post(`/v1/deliveries/${act.body.id}/confirm`, {})).status).toBe(200);
    const history = await (await h.as('caseworker-73')).get(`/v1/me/requests?recipient_id=${booked.recipientId}`);
    const item = history.body.items.find((i: any) => i.id === act.body.id);
    expect(item.acted_by).toEqual({ subject: expect.stringMatching(/^admin:/), name: 'Фёдоров Андрей Викторович' });
  });

  test('When the citizen books himself, then his booking names no case worker', async () => {
    const budgetProgrammeId = await fundRegion(h, '1000000.00');
    const fixture = await issueFor(h, budgetProgrammeId, { recipient: { snils: IVANOVA_SNILS } });
    const citizen = await h.as('citizen-ivanova');
    const booking = await citizen.post(`/v1/certificates/${fixture.certificate.id}/bookings`, { line_id: fixture.certificate.services[0].line_id, provider_id: ZABOTA_ID, units: 10 });
    expect(booking.status).toBe(201);
    const history = await citizen.get('/v1/me/requests');
    const own = history.body.items.find((i: any) => i.id === booking.body.id);
    expect(own.acted_by).toBeNull();
  });
});

describe('The region\'s bulk issues', () => {
  test('When files were uploaded, then the region\'s case worker lists them newest first with their progress, and another region\'s worker is refused', async () => {
    const budgetProgrammeId = await fundRegion(h, '1000.00');
    const caseworker = await h.as('caseworker-73');
    const header = 'snils;last_name;first_name;middle_name;birth_date;district_code;address;own_income;categories;service_code;volume_per_month;months';
    const row = `${nextSnils()};Петрова;Анна;;12.03.1948;73701000;г. Ульяновск;14000;;HOME-HOUSEHOLD-HOUR;20;6`;
    const first = await caseworker.post('/v1/bulk-issues', { budget_programme_id: budgetProgrammeId, region_code: '73', file_name: 'первый.csv', csv: `${header}\n${row}\n` });
    const second = await caseworker.post('/v1/bulk-issues', { budget_programme_id: budgetProgrammeId, region_code: '73', file_name: 'второй.csv', csv: `${header}\n${row}\n${row}\n` });
    expect([first.status, second.status]).toEqual([202, 202]);

    const list = await caseworker.get('/v1/bulk-issues?region_code=73');
    expect(list.status).toBe(200);
    expect(list.body.items.slice(0, 2)).toMatchObject([
      { id: second.body.id, file_name: 'второй.csv', total_rows: 2, status: 'queued', links: { self: `/v1/bulk-issues/${second.body.id}` } },
      { id: first.body.id, file_name: 'первый.csv', total_rows: 1 },
    ]);
    expect((await caseworker.get('/v1/bulk-issues?region_code=73&limit=1')).body.items).toHaveLength(1);
    expect((await (await h.as('auditor')).get('/v1/bulk-issues?region_code=73')).status).toBe(200);
    expect((await (await h.as('caseworker-77')).get('/v1/bulk-issues?region_code=73')).body.code).toBe('outside_your_region');
    expect((await (await h.as('citizen-ivanova')).get('/v1/bulk-issues?region_code=73')).status).toBe(403);
    expect((await caseworker.get('/v1/bulk-issues')).status).toBe(400);
  });
});
