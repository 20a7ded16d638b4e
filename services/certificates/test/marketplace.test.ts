import { randomUUID } from 'node:crypto';
import { ledgerAccountIds } from '@esc/ledger-client';
import { Money } from '@esc/money';
import { SYSTEM_PRINCIPAL } from '../src/domain/context';
import { bookedAndAccepted as bookAndAccept, fundRegion, issueFor, IVANOVA_SNILS, ledgerAccount, nextSnils, recipientBody, startCertificates, ZABOTA_ID, type CertificatesHarness } from './harness';

let h: CertificatesHarness;
let budgetProgrammeId: string;
beforeAll(async () => {
  h = await startCertificates('certificates-marketplace');
  budgetProgrammeId = await fundRegion(h, '5000000.00');
}, 60_000);
afterAll(() => h?.stop());

const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };

const bookedAndAccepted = (options: Parameters<typeof issueFor>[2] = {}) => bookAndAccept(h, budgetProgrammeId, options);

describe('Who may do what', () => {
  test('When a citizen asks for another citizen’s certificate, then it is forbidden; the holder sees it', async () => {
    const { certificate } = await issueFor(h, budgetProgrammeId, { recipient: { snils: IVANOVA_SNILS } });
    const own = await (await h.as('citizen-ivanova')).get(`/v1/certificates/${certificate.id}`);
    expect(own.status).toBe(200);
    expect(own.body.general.holder.snils).toBe(IVANOVA_SNILS);
    const other = await (await h.as('citizen-smirnov')).get(`/v1/certificates/${certificate.id}`);
    expect(other.status).toBe(403);
    expect(other.body.code).toBe('not_your_record');
  });

  test('When a provider records delivery on another provider’s booking, then it is forbidden and nothing is held', async () => {
    const { certificate, booking } = await bookedAndAccepted();
    const res = await (await h.as('rehab-staff')).post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 1, staff });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('not_your_booking');
    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00' });
  });

  test('When a case worker of region 77 acts on a region 73 recipient, then it is forbidden', async () => {
    const caseworker73 = await h.as('caseworker-73');
    const recipient = await caseworker73.post('/v1/recipients', recipientBody({ snils: nextSnils() }));
    const caseworker77 = await h.as('caseworker-77');
    const opened = await caseworker77.post('/v1/assessments', { recipient_id: recipient.body.id });
    expect(opened.status).toBe(403);
    expect(opened.body.code).toBe('outside_your_region');
    const registered = await caseworker77.post('/v1/recipients', recipientBody({ snils: nextSnils() }));
    expect(registered.status).toBe(403);
  });

  test('When a case worker changes only the address, then categories and household stay as they were', async () => {
    const caseworker = await h.as('caseworker-73');
    const recipient = await caseworker.post(
      '/v1/recipients',
      recipientBody({ snils: nextSnils(), categories: ['disability-group-1'], household: [{ relation: 'сын', full_name: 'Иванов Пётр', monthly_income: '20000.00' }] }),
    );
    const changed = await caseworker.call('PATCH', `/v1/recipients/${recipient.body.id}`, { address: 'г. Ульяновск, ул. Ленина, д. 2' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ address: 'г. Ульяновск, ул. Ленина, д. 2', categories: ['disability-group-1'], household: [expect.objectContaining({ relation: 'сын' })] });
    expect(changed.body.per_capita_income).toMatchObject({ total: '34000.00', persons: 2, rounded: '17000.00' });
  });

  test('When incomes are so large that their sum would not be an amount, then the change is refused and the recipient stays readable', async () => {
    const caseworker = await h.as('caseworker-73');
    const recipient = await caseworker.post('/v1/recipients', recipientBody({ snils: nextSnils() }));
    const huge = '999999999999999999.99';
    const changed = await caseworker.call('PATCH', `/v1/recipients/${recipient.body.id}`, {
      own_income: huge,
      household: [{ relation: 'сын', full_name: 'Иванов Пётр', monthly_income: huge }],
    });
    expect(changed.status).toBe(400);
    expect(changed.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['household[0].monthly_income', 'own_income']);
    const largest = '999999999999.99';
    const most = await caseworker.call('PATCH', `/v1/recipients/${recipient.body.id}`, {
      own_income: largest,
      household: Array.from({ length: 20 }, () => ({ relation: 'сын', full_name: 'Иванов Пётр', monthly_income: largest })),
    });
    expect(most.status).toBe(200);
    expect((await caseworker.get(`/v1/recipients/${recipient.body.id}`)).status).toBe(200);
  });

  test('When the district code has 9 or 10 digits, then it is refused: the registry searches providers by 8 or 11', async () => {
    const caseworker = await h.as('caseworker-73');
    for (const district_code of ['737010001', '7370100012']) {
      const res = await caseworker.post('/v1/recipients', recipientBody({ snils: nextSnils(), district_code }));
      expect(res.status).toBe(400);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'district_code' })]);
    }
  });

  test('When a citizen tries to issue a certificate, then the role check refuses', async () => {
    const res = await (await h.as('citizen-ivanova')).post('/v1/certificates', { programme_id: randomUUID(), budget_programme_id: budgetProgrammeId });
    expect(res.status).toBe(403);
  });
});

describe('Bad input gets a clear answer, never a 500', () => {
  test('When the SNILS check number is wrong, then 400 invalid_snils names the field', async () => {
    const res = await (await h.as('caseworker-73')).post('/v1/recipients', recipientBody({ snils: '112-233-445 96' }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_snils' });
    expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
  });

  test('When the programme asks for more than the standard allows a month, then 422 volume_beyond_standard', async () => {
    const caseworker = await h.as('caseworker-73');
    const recipient = await caseworker.post('/v1/recipients', recipientBody({ snils: nextSnils() }));
    const assessment = await caseworker.post('/v1/assessments', { recipient_id: recipient.body.id });
    await caseworker.post(`/v1/assessments/${assessment.body.id}/decision`, { decision: 'recognised' });
    const res = await caseworker.post(`/v1/assessments/${assessment.body.id}/programme`, { lines: [{ service_code: 'HOME-PSYCH-VISIT', volume_per_month: 9, months: 3 }] });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'volume_beyond_standard', max_volume_per_month: 8 });
  });

  test('When a delivery is dated outside the certificate’s validity, then it is refused with date_outside_validity and stored', async () => {
    const { certificate, booking } = await bookedAndAccepted();
    const res = await (await h.as('zabota-staff')).post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: '2020-01-01', units: 1, staff });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'date_outside_validity', next_steps: expect.any(String), appeal: expect.any(String) });
    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00' });
  });

  test.each([
    ['a non-JSON body', 'units=3'],
    ['units as a string', { delivered_on: '2026-11-24', units: '3', staff }],
    ['a fractional unit', { delivered_on: '2026-11-24', units: 1.5, staff }],
    ['an impossible date', { delivered_on: '2026-02-30', units: 1, staff }],
    ['an unknown field', { delivered_on: '2026-11-24', units: 1, staff, amount: '1.00' }],
  ])('When a delivery is posted with %s, then it answers 400 with a code', async (_label, body) => {
    const { booking } = await bookedAndAccepted();
    const res = await (await h.as('zabota-staff')).post(`/v1/bookings/${booking.id}/deliveries`, body, typeof body === 'string' ? { 'content-type': 'application/json' } : {});
    expect(res.status).toBe(400);
    expect(res.body.code).toEqual(expect.any(String));
  });

  test('When the hot endpoints get no token, the wrong role, another content type or a malformed id, then each answers the problem Express would', async () => {
    // Recording and confirming are served in front of Express; whatever they do not take must still be answered the usual way.
    const { certificate, booking } = await bookedAndAccepted();
    const act = { delivered_on: certificate.general.valid_from, units: 1, staff };
    const post = (path: string, headers: Record<string, string>, body: string) => fetch(`${h.url}${path}`, { method: 'POST', headers, body });
    const json = { 'content-type': 'application/json' };
    const provider = { ...json, authorization: `Bearer ${await h.gateway.signIn('zabota-staff')}` };
    const citizen = { ...json, authorization: `Bearer ${await h.gateway.signIn('citizen-ivanova')}` };
    const cases: Array<[string, Record<string, string>, string, number, string]> = [
      [`/v1/bookings/${booking.id}/deliveries`, json, JSON.stringify(act), 401, 'unauthenticated'],
      [`/v1/bookings/${booking.id}/deliveries`, { ...json, authorization: 'Bearer forged.token.here' }, JSON.stringify(act), 401, 'invalid_token'],
      [`/v1/bookings/${booking.id}/deliveries`, citizen, JSON.stringify(act), 403, 'forbidden'],
      [`/v1/bookings/${booking.id}/deliveries`, { ...provider, 'content-type': 'text/plain' }, JSON.stringify(act), 415, 'unsupported_media_type'],
      ['/v1/bookings/not-a-uuid/deliveries', provider, JSON.stringify(act), 400, 'validation_failed'],
      ['/v1/deliveries/not-a-uuid/confirm', citizen, '{}', 400, 'validation_failed'],
      [`/v1/deliveries/${randomUUID()}/confirm`, citizen, '', 404, 'delivery_not_found'],
    ];
    for (const [path, headers, body, status, code] of cases) {
      const res = await post(path, headers, body);
      expect([path, res.status, ((await res.json()) as { code: string }).code]).toEqual([path, status, code]);
      expect(res.headers.get('content-type')).toMatch(/application\/problem\+json/);
    }
    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00' });
  });
});

describe('Fees, worked example through the whole path', () => {
  test('When the per-capita income is 30 000.00, then the certificate carries cost − fee and each unit charges its share', async () => {
    const { certificate, booking } = await bookedAndAccepted({ recipient: { own_income: '30000.00' } });
    // 37 488.00 − 6 × 3 750.00 = 14 988.00; 14 988.00 / 120 h = 124.90 a unit.
    expect(certificate).toMatchObject({ gross_amount: '37488.00', fee_amount: '22500.00', value: '14988.00' });
    expect(certificate.general.fee_calculation).toMatchObject({ rule: 'capped', limit_income: '22500.00', total_fee: '22500.00' });
    const delivered = await (await h.as('zabota-staff')).post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 3, staff });
    expect(delivered.body).toMatchObject({ amount: '374.70', gross_amount: '937.20', fee_amount: '562.50' });
  });
});

describe('Holds never overspend and capacity is never overbooked', () => {
  test('When 40 concurrent acts of 5 units race for a 120-unit line, then at most 120 units are held and the ledger agrees', async () => {
    const { certificate, booking } = await bookedAndAccepted();
    const provider = await h.as('zabota-staff');
    const results = await Promise.all(
      Array.from({ length: 40 }, () => provider.post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 5, staff })),
    );
    const held = results.filter((r) => r.status === 201);
    expect(held).toHaveLength(24);
    expect(results.filter((r) => r.status !== 201).every((r) => r.body.code === 'units_beyond_booking')).toBe(true);
    const account = await ledgerAccount(h, certificate.id);
    expect(account.debits_pending).toBe(certificate.value);
    const invariants = await (await h.ledger()).get('/v1/audit/invariants');
    expect(invariants.body.ok).toBe(true);
  });

  test('When a whole line is delivered as 120 concurrent one-unit acts and all are confirmed at once, then exactly its value is posted', async () => {
    // Concurrent acts are charged in batches with running counters: the cumulative rounding must still add up to the kopeck.
    const { certificate, line, booking } = await bookedAndAccepted();
    const provider = await h.as('zabota-staff');
    const acts = await Promise.all(
      Array.from({ length: 120 }, () => provider.post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 1, staff })),
    );
    expect(acts.map((a) => a.status)).toEqual(Array(120).fill(201));
    expect(Money.sum(acts.map((a) => Money.parse(a.body.amount))).toString()).toBe(line.value);
    const caseworker = await h.as('caseworker-73');
    const confirmations = await Promise.all(acts.map((a) => caseworker.post(`/v1/deliveries/${a.body.id}/confirm`, {})));
    expect(confirmations.map((c) => c.status)).toEqual(Array(120).fill(200));
    const account = await ledgerAccount(h, certificate.id);
    expect(account).toMatchObject({ debits_posted: line.value, debits_pending: '0.00' });
    expect((await caseworker.get(`/v1/certificates/${certificate.id}`)).body.status).toBe('exhausted');
  });

  test('When the same act is sent three times at once and confirmed twice at once, then one act is held, all three see it, and one confirmation wins', async () => {
    const { certificate, booking } = await bookedAndAccepted();
    const provider = await h.as('zabota-staff');
    const id = randomUUID();
    const sent = await Promise.all(
      Array.from({ length: 3 }, () => provider.post(`/v1/bookings/${booking.id}/deliveries`, { id, delivered_on: certificate.general.valid_from, units: 2, staff })),
    );
    expect(sent.map((s) => [s.status, s.body.id, s.body.status])).toEqual(Array(3).fill([201, id, 'held']));
    const caseworker = await h.as('caseworker-73');
    const confirmed = await Promise.all([caseworker.post(`/v1/deliveries/${id}/confirm`, {}), caseworker.post(`/v1/deliveries/${id}/confirm`, {})]);
    expect(confirmed.map((c) => c.status).sort()).toEqual([200, 409]);
    expect(confirmed.find((c) => c.status === 409)!.body).toMatchObject({ status: 409, code: 'delivery_already_resolved', delivery_status: 'posted' });
    const account = await ledgerAccount(h, certificate.id);
    expect(account).toMatchObject({ debits_posted: sent[0]!.body.amount, debits_pending: '0.00' });
  });

  test('When more citizens book a provider at once than it has monthly capacity, then exactly the capacity is booked', async () => {
    // Psychological visits: Zabota has 60 a month; each certificate books 8 a month → at most 7 fit.
    const fixtures = await Promise.all(
      Array.from({ length: 10 }, () => issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() }, lines: [{ service_code: 'HOME-PSYCH-VISIT', volume_per_month: 8, months: 2 }] })),
    );
    const caseworker = await h.as('caseworker-73');
    const results = await Promise.all(
      fixtures.map((f) => caseworker.post(`/v1/certificates/${f.certificate.id}/bookings`, { line_id: f.certificate.services[0].line_id, provider_id: ZABOTA_ID })),
    );
    expect(results.filter((r) => r.status === 201)).toHaveLength(7);
    const refused = results.filter((r) => r.status !== 201);
    expect(refused.every((r) => r.status === 409 && r.body.code === 'no_free_capacity')).toBe(true);
    const history = await (await h.as('caseworker-73')).get(`/v1/certificates/${fixtures[0]!.certificate.id}`);
    expect(history.status).toBe(200);
  });
});

describe('Confirmation window, disputes and the end of a certificate', () => {
  test('When a certificate of two lines has one line paid in full, then it stays active; when the other is too, then it is exhausted', async () => {
    const { certificate } = await issueFor(h, budgetProgrammeId, {
      recipient: { snils: nextSnils() },
      lines: [
        { service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 2, months: 1 },
        { service_code: 'HOME-PSYCH-VISIT', volume_per_month: 1, months: 1 },
      ],
    });
    const caseworker = await h.as('caseworker-73');
    const provider = await h.as('zabota-staff');
    const deliverAndConfirm = async (line: { line_id: string; volume: number }) => {
      const booking = await caseworker.post(`/v1/certificates/${certificate.id}/bookings`, { line_id: line.line_id, provider_id: ZABOTA_ID });
      expect((await (await h.as('zabota-admin')).post(`/v1/bookings/${booking.body.id}/accept`)).status).toBe(200);
      const act = await provider.post(`/v1/bookings/${booking.body.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: line.volume, staff });
      expect((await caseworker.post(`/v1/deliveries/${act.body.id}/confirm`, {})).status).toBe(200);
    };
    await deliverAndConfirm(certificate.services[0]);
    expect((await caseworker.get(`/v1/certificates/${certificate.id}`)).body.status).toBe('active');
    await deliverAndConfirm(certificate.services[1]);
    expect((await caseworker.get(`/v1/certificates/${certificate.id}`)).body.status).toBe('exhausted');
    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_posted: certificate.value, debits_pending: '0.00' });
  });

  test('When the window lapses without a dispute, then the job posts the act and redemption.posted goes out', async () => {
    const { certificate, booking } = await bookedAndAccepted();
    const delivered = await (await h.as('zabota-staff')).post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 2, staff });
    await h.service.orm.em.fork().execute(`update certificates.deliveries set confirm_by = clock_timestamp() - interval '1 second' where id = ?`, [delivered.body.id]);
    const { postLapsed } = await import('../src/domain/deliveries');
    expect(await postLapsed(h.service.deps, SYSTEM_PRINCIPAL, {})).toBeGreaterThanOrEqual(1);
    const after = await (await h.as('caseworker-73')).get(`/v1/deliveries/${delivered.body.id}`);
    expect(after.body).toMatchObject({ status: 'posted', resolution: 'auto_confirmed', posted_amount: '624.80' });
    expect((await h.outbox('redemption.posted')).some((e) => e.payload.redemption_id === delivered.body.id)).toBe(true);
  });

  test('When a citizen disputes an act, then the hold is voided, the units are free again and the reason is kept', async () => {
    const fixture = await bookedAndAccepted({ recipient: { snils: nextSnils() } });
    const delivered = await (await h.as('zabota-staff')).post(`/v1/bookings/${fixture.booking.id}/deliveries`, { delivered_on: fixture.certificate.general.valid_from, units: 4, staff });
    const disputed = await (await h.as('caseworker-73')).post(`/v1/deliveries/${delivered.body.id}/dispute`, { reason: 'Услуга не оказывалась' });
    expect(disputed.body).toMatchObject({ status: 'voided', resolution: 'disputed', dispute_reason: 'Услуга не оказывалась' });
    const account = await ledgerAccount(h, fixture.certificate.id);
    expect(account).toMatchObject({ debits_pending: '0.00', debits_posted: '0.00' });
    const certificate = await (await h.as('caseworker-73')).get(`/v1/certificates/${fixture.certificate.id}`);
    expect(certificate.body.services[0]).toMatchObject({ units_in_use: 0, amount_charged: '0.00' });
  });

  test('When a certificate is revoked with a hold pending, then the available balance returns at once and the rest when the hold is voided', async () => {
    const fixture = await bookedAndAccepted();
    const delivered = await (await h.as('zabota-staff')).post(`/v1/bookings/${fixture.booking.id}/deliveries`, { delivered_on: fixture.certificate.general.valid_from, units: 1, staff });
    const caseworker = await h.as('caseworker-73');
    const revoked = await caseworker.post(`/v1/certificates/${fixture.certificate.id}/revoke`, { reason: 'Получатель переехал в другой регион' });
    expect(revoked.body).toMatchObject({ status: 'revoked', released_amount: '37175.60' });
    await caseworker.post(`/v1/deliveries/${delivered.body.id}/dispute`, { reason: 'Не оказана' });
    const account = await ledgerAccount(h, fixture.certificate.id);
    expect(account).toMatchObject({ credits_posted: '37488.00', debits_posted: '37488.00', debits_pending: '0.00' });
  });
});

describe('A provider declines; a certificate expires', () => {
  test('When the provider declines a booking with a reason, then the capacity and the line are free again and the citizen sees why', async () => {
    const fixture = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
    const caseworker = await h.as('caseworker-73');
    const line = fixture.certificate.services[0];
    const booking = await caseworker.post(`/v1/certificates/${fixture.certificate.id}/bookings`, { line_id: line.line_id, provider_id: ZABOTA_ID });
    const reserved = async () =>
      (await h.service.orm.em.fork().execute(`select reserved_per_month from certificates.provider_capacity where provider_id = ? and service_code = 'HOME-HOUSEHOLD-HOUR'`, [ZABOTA_ID]))[0]!
        .reserved_per_month as number;
    const before = await reserved();
    const declined = await (await h.as('zabota-admin')).post(`/v1/bookings/${booking.body.id}/decline`, { code: 'no_staff_in_area', reason: 'Нет социального работника в этом микрорайоне до марта' });
    expect(declined.body).toMatchObject({ status: 'declined', decline: { code: 'no_staff_in_area' } });
    expect(await reserved()).toBe(before - 20);
    // The registry's search learns the booked capacity from provider.capacity_reserved, newest figure last.
    const reports = (await h.outbox('provider.capacity_reserved'))
      .map((e) => e.payload)
      .filter((p) => p.provider_id === ZABOTA_ID && p.service_code === 'HOME-HOUSEHOLD-HOUR')
      .sort((a, b) => a.as_of.localeCompare(b.as_of));
    expect(reports.slice(-2).map((p) => p.reserved_per_month)).toEqual([before, before - 20]);
    const certificate = await caseworker.get(`/v1/certificates/${fixture.certificate.id}`);
    expect(certificate.body.services[0].units_booked).toBe(0);
    const refusals = await h.service.orm.em.fork().execute(`select code, reason from certificates.refusals where subject_id = ?`, [booking.body.id]);
    expect(refusals[0]).toMatchObject({ code: 'declined_by_provider', reason: expect.stringContaining('до марта') });
  });

  test('When a certificate passes its validity, then the job expires it and returns the unspent value to the programme', async () => {
    const fixture = await bookedAndAccepted();
    const delivered = await (await h.as('zabota-staff')).post(`/v1/bookings/${fixture.booking.id}/deliveries`, { delivered_on: fixture.certificate.general.valid_from, units: 2, staff });
    await (await h.as('caseworker-73')).post(`/v1/deliveries/${delivered.body.id}/confirm`, {});
    await h.service.orm.em.fork().execute(`update certificates.certificates set valid_to = '2026-01-31' where id = ?`, [fixture.certificate.id]);
    const allocationBefore = await ledgerAccount(h, ledgerAccountIds.budgetAllocation(budgetProgrammeId));
    const { expireDue } = await import('../src/domain/certificates');
    expect(await expireDue(h.service.deps, SYSTEM_PRINCIPAL, {})).toBeGreaterThanOrEqual(1);
    const after = await (await h.as('caseworker-73')).get(`/v1/certificates/${fixture.certificate.id}`);
    expect(after.body).toMatchObject({ status: 'expired', released_amount: '36863.20' });
    expect(after.body.contracts[0].status).toBe('cancelled');
    const allocationAfter = await ledgerAccount(h, ledgerAccountIds.budgetAllocation(budgetProgrammeId));
    expect(Money.parse(allocationAfter.credits_posted).subtract(Money.parse(allocationBefore.credits_posted)).toString()).toBe('36863.20');
  });
});

describe('Suspension during review', () => {
  test('When a certificate is suspended, then acts are refused with certificate_not_active until it is resumed', async () => {
    const { certificate, booking } = await bookedAndAccepted();
    const caseworker = await h.as('caseworker-73');
    expect((await caseworker.post(`/v1/certificates/${certificate.id}/suspend`, { reason: 'Жалоба на качество услуг, идёт проверка' })).body).toMatchObject({ status: 'suspended' });
    const provider = await h.as('zabota-staff');
    const refused = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 1, staff });
    expect(refused.status).toBe(422);
    expect(refused.body.code).toBe('certificate_not_active');
    expect((await caseworker.post(`/v1/certificates/${certificate.id}/resume`)).body).toMatchObject({ status: 'active' });
    expect((await provider.post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 1, staff })).status).toBe(201);
  });
});

describe('Life events and the citizen’s history', () => {
  test('When a hospital reports a discharge after a stroke twice, then one proactive assessment and one notice exist', async () => {
    const source = await h.asService('life-events-source');
    const snils = nextSnils();
    const event = {
      id: randomUUID(),
      kind: 'hospital_discharge_stroke',
      occurred_on: '2026-11-20',
      region_code: '73',
      person: { snils, last_name: 'Петров', first_name: 'Иван', birth_date: '1950-05-05', district_code: '73701000', address: 'г. Ульяновск, ул. Ленина, д. 1' },
      circumstances: { lives_alone: true },
    };
    const first = await source.post('/v1/life-events', event);
    expect(first.status).toBe(201);
    expect(first.body.assessment).toMatchObject({ source: 'life_event', status: 'open' });
    const second = await source.post('/v1/life-events', event);
    expect(second.status).toBe(200);
    expect(second.body.assessment.id).toBe(first.body.assessment.id);
    const rows = await h.service.orm.em.fork().execute(`select count(*)::int as n from certificates.notices n join certificates.recipients r on r.id = n.recipient_id where r.snils = ?`, [snils]);
    expect(rows[0]!.n).toBe(1);
    const citizen = await (await h.as('citizen-ivanova')).post('/v1/life-events', event);
    expect(citizen.status).toBe(403);
  });

  test('When an assessment is refused, then the citizen’s history shows it with the reason, next steps and appeal', async () => {
    const caseworker = await h.as('caseworker-73');
    const recipient = await caseworker.post('/v1/recipients', recipientBody({ snils: '12345678964', last_name: 'Смирнов', first_name: 'Алексей' }));
    const assessment = await caseworker.post('/v1/assessments', { recipient_id: recipient.body.id });
    await caseworker.post(`/v1/assessments/${assessment.body.id}/decision`, { decision: 'refused', refusal_code: 'documents_incomplete', comment: 'Нет справки о доходах сына' });
    const history = await (await h.as('citizen-smirnov')).get('/v1/me/requests');
    expect(history.status).toBe(200);
    const item = history.body.items.find((i: any) => i.id === assessment.body.id);
    expect(item).toMatchObject({ kind: 'assessment', status: 'refused' });
    expect(item.refusal).toMatchObject({ code: 'documents_incomplete', next_steps: expect.stringContaining('доход'), appeal: expect.stringContaining('трёх месяцев') });
    expect(item.refusal.reason).toContain('Нет справки о доходах сына');
  });

  test('When deadlines pass, then the overdue list shows the assessment', async () => {
    const caseworker = await h.as('caseworker-73');
    const recipient = await caseworker.post('/v1/recipients', recipientBody({ snils: nextSnils() }));
    const assessment = await caseworker.post('/v1/assessments', { recipient_id: recipient.body.id });
    await h.service.orm.em.fork().execute(`update certificates.assessments set decision_due = '2026-01-01' where id = ?`, [assessment.body.id]);
    const overdue = await caseworker.get('/v1/assessments/overdue?region_code=73');
    expect(overdue.body.items).toContainEqual(expect.objectContaining({ id: assessment.body.id, overdue: 'decision', due: '2026-01-01' }));
  });
});

test('When everything above has run, then the provider payable holds only posted money and the ledger invariants hold', async () => {
  const posted: Array<{ total: string }> = await h.service.orm.em
    .fork()
    .execute(`select coalesce(sum(posted_amount), 0)::numeric(20,2)::text as total from certificates.deliveries where provider_id = ? and status = 'posted'`, [ZABOTA_ID]);
  const account = await ledgerAccount(h, ledgerAccountIds.providerPayable(ZABOTA_ID));
  expect(account.credits_posted).toBe(posted[0]!.total);
  const invariants = await (await h.ledger()).get('/v1/audit/invariants');
  expect(invariants.body.ok).toBe(true);
});
