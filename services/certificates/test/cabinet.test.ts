import { randomUUID } from 'node:crypto';
import { httpClient } from '@esc/testing';
import { ledgerAccountIds } from '@esc/ledger-client';
import { Money } from '@esc/money';
import { fundRegion, issueFor, IVANOVA_SNILS, ledgerAccount, nextSnils, REGION, REHAB_ID, startCertificates, ULYANOVSK, ZABOTA_ID, type CertificatesHarness } from './harness';

let h: CertificatesHarness;
let budgetProgrammeId: string;
beforeAll(async () => {
  h = await startCertificates('certificates-cabinet');
  budgetProgrammeId = await fundRegion(h, '5000000.00');
}, 60_000);
afterAll(() => h?.stop());

const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };
const DIMITROVGRAD = '73705000';
const sum = (amounts: string[]) => Money.sum(amounts.map((a) => Money.parse(a))).toString();

/** What the ledger says of a certificate's account, in the cabinet's terms (released is the service's record of returns). */
async function ledgerTotals(certificateId: string, released = '0.00') {
  const a = await ledgerAccount(h, ledgerAccountIds.certificate(certificateId));
  const credits = Money.parse(a.credits_posted);
  const posted = Money.parse(a.debits_posted);
  const held = Money.parse(a.debits_pending);
  return {
    value: credits.toString(),
    held: held.toString(),
    spent: posted.subtract(Money.parse(released)).toString(),
    available: credits.subtract(posted).subtract(held).toString(),
  };
}

/** Days from today (Moscow) to `to`, both counted, computed apart from the service's own helper. */
function daysInclusive(to: string) {
  // The region's own date (Ulyanovsk, UTC+4), as the service counts it: Moscow's differs from 20:00 to 21:00 UTC.
  const regionToday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Ulyanovsk' }).format(new Date());
  const [y1, m1, d1] = regionToday.split('-').map(Number) as [number, number, number];
  const [y2, m2, d2] = to.split('-').map(Number) as [number, number, number];
  return (Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000 + 1;
}

/** A file download over HTTP, its bytes as they came (the JSON test client would decode them and drop a BOM). */
async function download(username: string, path: string) {
  const res = await fetch(`${h.url}${path}`, { headers: { authorization: `Bearer ${await h.gateway.signIn(username)}` } });
  const bytes = Buffer.from(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, bytes, text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes) };
}

/** The movements section of a statement CSV: its header, rows and the totals row, amounts back to decimal strings. */
function parseStatementCsv(csv: string) {
  expect(csv.charCodeAt(0)).toBe(0xfeff);
  const rows = csv.slice(1).split('\r\n').map((line) => line.split(';'));
  const start = rows.findIndex((r) => r[0] === 'Движение средств');
  const header = rows[start + 1]!;
  const end = rows.findIndex((r, i) => i > start && r[0] === 'Итого');
  const col = (name: string) => header.indexOf(name);
  const amount = (cell: string | undefined) => (cell ? cell.replace(',', '.') : '0.00');
  const pick = (r: string[]) => ({
    operation: r[col('Операция')]!,
    status: r[col('Статус акта')]!,
    credited: amount(r[col('Зачислено, руб.')]),
    held: amount(r[col('Удержано, руб.')]),
    spent: amount(r[col('Оплачено поставщику, руб.')]),
    released: amount(r[col('Возвращено в бюджет, руб.')]),
    available: amount(r[col('Доступно после операции, руб.')]),
  });
  return { movements: rows.slice(start + 2, end).map(pick), totals: pick(rows[end]!), rows };
}

describe('The citizen’s cabinet with real money movement', () => {
  let certificate: any;
  let recipientId: string;
  const acts: Record<string, any> = {};
  let extraBooking: any;

  beforeAll(async () => {
    // Ivanova books both lines herself; Zabota accepts and records five acts; she confirms, partly confirms and disputes some.
    const fixture = await issueFor(h, budgetProgrammeId, {
      recipient: { snils: IVANOVA_SNILS },
      lines: [
        { service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 20, months: 6 },
        { service_code: 'HOME-PSYCH-VISIT', volume_per_month: 4, months: 3 },
      ],
    });
    certificate = fixture.certificate;
    recipientId = fixture.recipientId;
    const citizen = await h.as('citizen-ivanova');
    const [household, psych] = certificate.services;
    const booking1 = await citizen.post(`/v1/certificates/${certificate.id}/bookings`, { line_id: household.line_id, provider_id: ZABOTA_ID });
    const booking2 = await citizen.post(`/v1/certificates/${certificate.id}/bookings`, { line_id: psych.line_id, provider_id: ZABOTA_ID, units: 6 });
    expect([booking1.status, booking2.status]).toEqual([201, 201]);
    const admin = await h.as('zabota-admin');
    for (const b of [booking1, booking2]) expect((await admin.post(`/v1/bookings/${b.body.id}/accept`)).status).toBe(200);
    const provider = await h.as('zabota-staff');
    const record = async (key: string, bookingId: string, units: number) => {
      const res = await provider.post(`/v1/bookings/${bookingId}/deliveries`, { delivered_on: certificate.general.valid_from, units, staff });
      expect(res.status).toBe(201);
      acts[key] = res.body;
    };
    await record('confirmed', booking1.body.id, 3);
    await record('partly', booking1.body.id, 2);
    await record('disputed', booking1.body.id, 4);
    await record('waiting', booking1.body.id, 5);
    await record('waitingPsych', booking2.body.id, 1);
    expect((await citizen.post(`/v1/deliveries/${acts.confirmed.id}/confirm`, {})).status).toBe(200);
    expect((await citizen.post(`/v1/deliveries/${acts.partly.id}/confirm`, { units: 1, dispute_reason: 'Пришли на час вместо двух' })).status).toBe(200);
    expect((await citizen.post(`/v1/deliveries/${acts.disputed.id}/dispute`, { reason: 'Услуга не оказывалась' })).status).toBe(200);
    // A second, still requested booking for the rest of the psychological visits: the only one that can be cancelled.
    extraBooking = (await citizen.post(`/v1/certificates/${certificate.id}/bookings`, { line_id: psych.line_id, provider_id: ZABOTA_ID })).body;
    expect(extraBooking).toMatchObject({ status: 'requested', units: 6 });
  }, 60_000);

  test('When the citizen reads her certificates, then every line’s money comes from its acts and the lines add up to the ledger to the kopeck', async () => {
    const res = await (await h.as('citizen-ivanova')).get('/v1/me/certificates');
    expect(res.status).toBe(200);
    expect(res.body.recipient_id).toBe(recipientId);
    const item = res.body.items.find((c: any) => c.id === certificate.id);
    expect(item).toMatchObject({ number: certificate.number, status: 'active', value: certificate.value, valid_to: certificate.general.valid_to, balance_unavailable: false });
    expect(item.expires_in_days).toBe(daysInclusive(certificate.general.valid_to));
    // 312.40 an hour, no fee: 3 h confirmed (937.20) + 1 of 2 h (312.40) spent; 5 h (1 562.00) held; the disputed 4 h are back.
    const [household, psych] = item.lines;
    expect(household).toMatchObject({
      service_code: 'HOME-HOUSEHOLD-HOUR',
      service_name: expect.any(String),
      unit: 'hour',
      volume: 120,
      unit_cost: '312.40',
      value: '37488.00',
      units_booked: 120,
      units_in_use: 3 + 1 + 5,
      units_confirmed: 4,
      units_free: 0,
      held: '1562.00',
      spent: '1249.60',
      released: '0.00',
      available: '34676.40',
    });
    expect(psych).toMatchObject({ service_code: 'HOME-PSYCH-VISIT', held: acts.waitingPsych.amount, spent: '0.00', units_booked: 12, units_free: 0 });
    expect(psych.available).toBe(Money.parse(psych.value).subtract(Money.parse(acts.waitingPsych.amount)).toString());

    const ledger = await ledgerTotals(certificate.id);
    expect(item.balance).toEqual({ ...ledger, released: '0.00', ties_out: true, unattributed: { available: '0.00', held: '0.00', spent: '0.00' } });
    expect(ledger.held).toBe(sum(['1562.00', acts.waitingPsych.amount]));
    for (const field of ['available', 'held', 'spent'] as const) expect(sum(item.lines.map((l: any) => l[field]))).toBe(item.balance[field]);
  });

  test('When the citizen lists acts awaiting confirmation, then each says when it is posted by itself and whom it came from', async () => {
    const res = await (await h.as('citizen-ivanova')).get('/v1/me/deliveries?status=held');
    expect(res.status).toBe(200);
    expect(res.body.items.map((d: any) => d.id).sort()).toEqual([acts.waiting.id, acts.waitingPsych.id].sort());
    const waiting = res.body.items.find((d: any) => d.id === acts.waiting.id);
    expect(waiting).toMatchObject({
      booking_id: acts.waiting.booking_id,
      certificate_id: certificate.id,
      certificate_number: certificate.number,
      line_no: 1,
      service_code: 'HOME-HOUSEHOLD-HOUR',
      provider_id: ZABOTA_ID,
      provider_name: expect.stringContaining('Забота'),
      units: 5,
      amount: '1562.00',
      staff,
      status: 'held',
      feedback_given: false,
      feedback: null,
      can_confirm: true,
      can_rate: false,
    });
    // The confirmation window: 72 hours from the hold, when the lapse job posts it.
    expect(Date.parse(waiting.auto_confirm_at) - Date.parse(waiting.recorded_at)).toBeGreaterThanOrEqual(72 * 3600_000 - 1000);
    expect(Date.parse(waiting.auto_confirm_at) - Date.parse(waiting.recorded_at)).toBeLessThanOrEqual(72 * 3600_000 + 1000);
    expect(waiting.auto_confirm_at).toBe(acts.waiting.confirm_by);
  });

  test('When the citizen rates a confirmed act, then the posted list shows it rated and only the other one still offers rating', async () => {
    const citizen = await h.as('citizen-ivanova');
    expect((await citizen.post(`/v1/deliveries/${acts.confirmed.id}/feedback`, { score: 5, comment: 'Спасибо' })).status).toBe(201);
    const res = await citizen.get('/v1/me/deliveries?status=posted');
    expect(res.body.items.map((d: any) => d.id).sort()).toEqual([acts.confirmed.id, acts.partly.id].sort());
    const rated = res.body.items.find((d: any) => d.id === acts.confirmed.id);
    expect(rated).toMatchObject({ feedback_given: true, feedback: { score: 5, comment: 'Спасибо' }, can_rate: false, can_confirm: false, auto_confirm_at: null, resolution: 'confirmed' });
    expect(res.body.items.find((d: any) => d.id === acts.partly.id)).toMatchObject({ feedback_given: false, can_rate: true, confirmed_units: 1, posted_amount: '312.40', resolution: 'partly_disputed' });
    const all = await citizen.get('/v1/me/deliveries');
    expect(all.body.items).toHaveLength(5);
    expect(all.body.items.find((d: any) => d.id === acts.disputed.id)).toMatchObject({ status: 'voided', dispute_reason: 'Услуга не оказывалась' });
  });

  test('When the citizen lists her bookings, then only one without acts can be cancelled, and a case worker can cancel it for her', async () => {
    const citizen = await h.as('citizen-ivanova');
    const res = await citizen.get('/v1/me/bookings');
    expect(res.status).toBe(200);
    expect(res.body.items).toHaveLength(3);
    const extra = res.body.items.find((b: any) => b.id === extraBooking.id);
    expect(extra).toMatchObject({ status: 'requested', can_cancel: true, cancel_unavailable_reason: null, provider_name: expect.stringContaining('Забота'), line_no: 2, unit: 'visit', certificate_number: certificate.number });
    for (const b of res.body.items.filter((b: any) => b.id !== extraBooking.id)) {
      expect(b).toMatchObject({ status: 'accepted', can_cancel: false, cancel_unavailable_reason: expect.stringContaining('акты') });
    }
    const refused = await citizen.post(`/v1/bookings/${acts.waiting.booking_id}/cancel`);
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'booking_not_cancellable', detail: res.body.items.find((b: any) => b.id === acts.waiting.booking_id).cancel_unavailable_reason });

    const caseworker = await h.as('caseworker-73');
    const asCaseworker = await caseworker.get(`/v1/me/bookings?recipient_id=${recipientId}&status=requested`);
    expect(asCaseworker.body.items.map((b: any) => b.id)).toEqual([extraBooking.id]);
    expect((await (await h.as('caseworker-77')).post(`/v1/bookings/${extraBooking.id}/cancel`)).status).toBe(403);
    expect((await caseworker.post(`/v1/bookings/${extraBooking.id}/cancel`)).body.status).toBe('cancelled');
    const after = await citizen.get('/v1/me/bookings?status=cancelled');
    expect(after.body.items).toEqual([expect.objectContaining({ id: extraBooking.id, can_cancel: false, cancel_unavailable_reason: 'Запись уже отменена.' })]);
  });

  test('When a case worker acts for the citizen, then the cabinet needs recipient_id, shows the same money and offers no rating', async () => {
    const caseworker = await h.as('caseworker-73');
    const missing = await caseworker.get('/v1/me/certificates');
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ code: 'recipient_id_required', errors: [expect.objectContaining({ field: 'recipient_id' })] });
    expect((await caseworker.get('/v1/me/deliveries')).body.code).toBe('recipient_id_required');
    expect((await caseworker.get('/v1/me/bookings')).body.code).toBe('recipient_id_required');
    expect((await caseworker.get('/v1/me/requests')).body.code).toBe('recipient_id_required');
    const history = await caseworker.get(`/v1/me/requests?recipient_id=${recipientId}`);
    expect(history.status).toBe(200);
    expect(history.body).toEqual((await (await h.as('citizen-ivanova')).get('/v1/me/requests')).body);
    const unitOf: Record<string, string> = { 'HOME-HOUSEHOLD-HOUR': 'hour', 'HOME-PSYCH-VISIT': 'visit' };
    const bookings = history.body.items.filter((i: any) => i.kind === 'booking');
    expect(bookings.length).toBeGreaterThan(0);
    for (const booking of bookings) expect(booking.details.unit).toBe(unitOf[booking.details.service_code]);
    expect(history.body.items.filter((i: any) => i.kind === 'delivery').every((i: any) => ['hour', 'visit'].includes(i.details.unit))).toBe(true);

    const own = await (await h.as('citizen-ivanova')).get('/v1/me/certificates');
    const forHer = await caseworker.get(`/v1/me/certificates?recipient_id=${recipientId}`);
    expect(forHer.status).toBe(200);
    expect(forHer.body).toEqual(own.body);
    const posted = await caseworker.get(`/v1/me/deliveries?recipient_id=${recipientId}&status=posted`);
    expect(posted.body.items.every((d: any) => d.can_rate === false)).toBe(true);
    const admin = await (await h.as('admin')).get(`/v1/me/deliveries?recipient_id=${recipientId}&status=held`);
    expect(admin.body.items).toHaveLength(2);
  });

  test('When someone else asks for the cabinet, then it is refused with a code', async () => {
    const cases: Array<[string, string, number, string]> = [
      ['caseworker-77', `/v1/me/certificates?recipient_id=${recipientId}`, 403, 'outside_your_region'],
      ['citizen-smirnov', `/v1/me/deliveries?recipient_id=${recipientId}`, 403, 'not_your_record'],
      ['zabota-admin', '/v1/me/bookings', 403, 'not_your_record'],
      ['finance-73-a', `/v1/me/certificates?recipient_id=${recipientId}`, 403, 'not_your_record'],
      ['caseworker-73', `/v1/me/certificates?recipient_id=${randomUUID()}`, 404, 'recipient_not_found'],
      ['caseworker-73', '/v1/me/certificates?recipient_id=not-a-uuid', 400, 'validation_failed'],
      ['citizen-ivanova', '/v1/me/deliveries?status=lost', 400, 'validation_failed'],
      ['citizen-ivanova', '/v1/me/bookings?page=2', 400, 'validation_failed'],
      ['citizen-smirnov', `/v1/certificates/${certificate.id}/statement`, 403, 'not_your_record'],
      ['citizen-ivanova', `/v1/certificates/${certificate.id}/statement?format=xlsx`, 400, 'validation_failed'],
    ];
    for (const [user, path, status, code] of cases) {
      const res = await (await h.as(user)).get(path);
      expect([user, path, res.status, res.body?.code]).toEqual([user, path, status, code]);
    }
    // A citizen not in the register has an empty cabinet, not an error.
    expect((await (await h.as('citizen-smirnov')).get('/v1/me/certificates')).body).toEqual({ recipient_id: null, items: [] });
  });

  test('When the citizen downloads the statement as CSV, then its totals equal the ledger balance and every act is a movement', async () => {
    const res = await download('citizen-ivanova', `/v1/certificates/${certificate.id}/statement?format=csv`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const number = certificate.number as string;
    expect(res.headers.get('content-disposition')).toBe(
      `attachment; filename="vypiska-${number}.csv"; filename*=UTF-8''${encodeURIComponent(`Выписка_${number}.csv`)}`,
    );
    const csv = res.text;
    expect(csv).toContain(`Выписка по социальному сертификату;${number}`);
    expect(csv).toContain('Владелец;Иванова Мария Петровна');
    expect(csv).toContain('Номинал сертификата, руб.;' + certificate.value.replace('.', ','));
    const { movements, totals } = parseStatementCsv(csv);
    expect(movements[0]).toMatchObject({ operation: 'Зачисление номинала сертификата', credited: certificate.value, available: certificate.value });
    expect(movements.filter((m) => m.operation.startsWith('Акт'))).toHaveLength(5);
    expect(movements.map((m) => m.status).filter(Boolean).sort()).toEqual(
      ['аннулирован', 'ожидает подтверждения', 'ожидает подтверждения', 'подтверждён', 'подтверждён частично (1 из 2)'].sort(),
    );
    // Each row's balance follows from the one before.
    let running = Money.zero();
    for (const m of movements) {
      running = running.add(Money.parse(m.credited)).subtract(Money.parse(m.held)).subtract(Money.parse(m.spent)).subtract(Money.parse(m.released));
      expect(m.available).toBe(running.toString());
    }
    const ledger = await ledgerTotals(certificate.id);
    expect(totals).toMatchObject({ credited: ledger.value, held: ledger.held, spent: ledger.spent, released: '0.00', available: ledger.available });
    expect(csv).not.toContain('Примечание');
    // Made by the region's clock (Ulyanovsk, UTC+4), named against Moscow's, not Moscow time.
    const made = /Сформирована;(\d{2})\.(\d{2})\.(\d{4}) (\d{2}):(\d{2}) \(МСК\+1\)/.exec(csv);
    expect(made).not.toBeNull();
    const [, d, mo, y, hh, mi] = made!.map(Number) as number[];
    const asIfUtc = Date.UTC(y!, mo! - 1, d!, hh!, mi!);
    expect(Math.abs(asIfUtc - 4 * 3600_000 - Date.now())).toBeLessThan(120_000);
  });

  test('When the citizen downloads the statement as PDF, then it is an A4 PDF attachment', async () => {
    const res = await download('citizen-ivanova', `/v1/certificates/${certificate.id}/statement?format=pdf`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="vypiska-[0-9-]+\.pdf"; filename\*=UTF-8''%D0%92/);
    const pdf = res.bytes;
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.length).toBeGreaterThan(10_000);
    // A4 landscape: 841.89 × 595.28 points; the Roboto font is embedded.
    const text = pdf.toString('latin1');
    expect(text).toContain('/MediaBox [0 0 841.89 595.28]');
    expect(text).toContain('Roboto');
  });
});

describe('A revoked certificate: returns to the budget in the lines, the balance and the statement', () => {
  test('When a certificate with a held act is revoked and the act is then disputed, then both returns are spread over the lines and everything ties out', async () => {
    const fixture = await issueFor(h, budgetProgrammeId, {
      recipient: { snils: nextSnils(), own_income: '30000.00' },
      lines: [
        { service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: 10, months: 3 },
        { service_code: 'HOME-PSYCH-VISIT', volume_per_month: 3, months: 3 },
      ],
    });
    const { certificate, recipientId } = fixture;
    const caseworker = await h.as('caseworker-73');
    const booking = await caseworker.post(`/v1/certificates/${certificate.id}/bookings`, { line_id: certificate.services[0].line_id, provider_id: ZABOTA_ID });
    expect((await (await h.as('zabota-admin')).post(`/v1/bookings/${booking.body.id}/accept`)).status).toBe(200);
    const provider = await h.as('zabota-staff');
    const confirmed = await provider.post(`/v1/bookings/${booking.body.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 3, staff });
    const held = await provider.post(`/v1/bookings/${booking.body.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 2, staff });
    expect((await caseworker.post(`/v1/deliveries/${confirmed.body.id}/confirm`, {})).status).toBe(200);
    expect((await caseworker.post(`/v1/certificates/${certificate.id}/revoke`, { reason: 'Получатель переехал' })).body.status).toBe('revoked');

    const check = async (expected: { held: string; released: string }) => {
      const res = await caseworker.get(`/v1/me/certificates?recipient_id=${recipientId}`);
      const item = res.body.items[0];
      expect(item).toMatchObject({ id: certificate.id, status: 'revoked', expires_in_days: null });
      const ledger = await ledgerTotals(certificate.id, expected.released);
      expect(item.balance).toMatchObject({ ...ledger, released: expected.released, held: expected.held, ties_out: true, available: '0.00' });
      for (const field of ['available', 'held', 'spent', 'released'] as const) expect(sum(item.lines.map((l: any) => l[field]))).toBe(item.balance[field]);
      expect(sum(item.lines.map((l: any) => l.value))).toBe(certificate.value);
      return item;
    };
    const value = Money.parse(certificate.value);
    const firstRelease = value.subtract(Money.parse(confirmed.body.amount)).subtract(Money.parse(held.body.amount));
    const afterRevoke = await check({ held: held.body.amount, released: firstRelease.toString() });
    // The untouched psychological line gives back all it had; the household line what was neither held nor spent.
    expect(afterRevoke.lines[1]).toMatchObject({ released: afterRevoke.lines[1].value, available: '0.00', held: '0.00', spent: '0.00' });

    expect((await caseworker.post(`/v1/deliveries/${held.body.id}/dispute`, { reason: 'Не оказана' })).status).toBe(200);
    const allReleased = value.subtract(Money.parse(confirmed.body.amount)).toString();
    await check({ held: '0.00', released: allReleased });

    const statement = await download('caseworker-73', `/v1/certificates/${certificate.id}/statement`);
    const { movements, totals } = parseStatementCsv(statement.text);
    expect(movements.filter((m) => m.operation === 'Возврат остатка в бюджет').map((m) => m.released)).toEqual([firstRelease.toString(), held.body.amount]);
    expect(totals).toMatchObject({ credited: certificate.value, held: '0.00', spent: confirmed.body.amount, released: allReleased, available: '0.00' });
  });
});

describe('Providers for a line: the recipient’s district first', () => {
  beforeAll(async () => {
    // Rehab moves to Dimitrovgrad and is admitted for household help through a second round, with the real registry.
    const registryUrl = h.service.config.REGISTRY_URL;
    const rehab = httpClient(registryUrl, await h.gateway.signIn('rehab-admin'));
    const committee = httpClient(registryUrl, await h.gateway.signIn('committee-73'));
    const patched = await rehab.call('PATCH', `/v1/providers/${REHAB_ID}`, {
      locations: [{ address: 'г. Димитровград, ул. Куйбышева, д. 5', district_code: DIMITROVGRAD, lat: 54.2173, lon: 49.6264 }],
      services: [
        { service_code: 'CHILD-REHAB-COURSE', capacity_per_month: 30 },
        { service_code: 'HOME-HOUSEHOLD-HOUR', capacity_per_month: 200 },
      ],
    });
    expect(patched.status).toBe(200);
    const round = await committee.post('/v1/rounds', {
      title: `Отбор исполнителей социально-бытовых услуг ${randomUUID().slice(0, 6)}`,
      region_code: REGION,
      territory: [ULYANOVSK, DIMITROVGRAD],
      service_codes: ['HOME-HOUSEHOLD-HOUR'],
      applications_open_at: new Date(Date.now() - 3600_000).toISOString(),
      applications_close_at: new Date(Date.now() + 30 * 86_400_000).toISOString(),
      appeal_window_days: 10,
      scored_criteria: [
        { code: 'experience_years', name: 'Опыт оказания услуг, лет', weight: '2', max_points: 10, source: 'auto' },
        { code: 'qualified_staff', name: 'Доля квалифицированного персонала', weight: '3', max_points: 10, source: 'committee' },
      ],
      threshold: '30',
    });
    expect(round.status).toBe(201);
    const application = await rehab.post(`/v1/rounds/${round.body.id}/applications`, { service_codes: ['HOME-HOUSEHOLD-HOUR'] });
    expect(application.status).toBe(201);
    const decided = await committee.post(`/v1/rounds/${round.body.id}/applications/${application.body.id}/decision`, { scores: { qualified_staff: 8 } });
    expect(decided.body.status).toBe('admitted');
  }, 60_000);

  const providersFor = async (district: string) => {
    const { certificate } = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils(), district_code: district } });
    const res = await (await h.as('caseworker-73')).get(`/v1/certificates/${certificate.id}/lines/${certificate.services[0].line_id}/providers`);
    expect(res.status).toBe(200);
    return res.body.items.map((p: any) => [p.provider_id, p.in_recipient_district]);
  };

  test('When the recipient lives in Dimitrovgrad, then the Dimitrovgrad provider comes first and Ulyanovsk’s follows', async () => {
    expect(await providersFor(DIMITROVGRAD)).toEqual([
      [REHAB_ID, true],
      [ZABOTA_ID, false],
    ]);
  });

  test('When the recipient lives in Ulyanovsk, then the Ulyanovsk provider comes first and the other can still be booked', async () => {
    expect(await providersFor(ULYANOVSK)).toEqual([
      [ZABOTA_ID, true],
      [REHAB_ID, false],
    ]);
    const { certificate } = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
    const booked = await (await h.as('caseworker-73')).post(`/v1/certificates/${certificate.id}/bookings`, { line_id: certificate.services[0].line_id, provider_id: REHAB_ID });
    expect(booked.status).toBe(201);
  });
});

test('When everything above has run, then the ledger invariants hold', async () => {
  const invariants = await (await h.ledger()).get('/v1/audit/invariants');
  expect(invariants.body.ok).toBe(true);
});
