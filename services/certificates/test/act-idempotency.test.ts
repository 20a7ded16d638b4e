import { randomUUID } from 'node:crypto';
import { bookedAndAccepted, fundRegion, ledgerAccount, startCertificates, type CertificatesHarness } from './harness';

/** An act id is the act: sent again it answers as the first time, sent with another act it is a conflict, whatever the timing. */

let h: CertificatesHarness;
let budgetProgrammeId: string;
beforeAll(async () => {
  h = await startCertificates('certificates-act-idempotency');
  budgetProgrammeId = await fundRegion(h);
}, 60_000);
afterAll(() => h?.stop());

const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };
/** A booking of a line of `volume` hours of household care, accepted by Zabota. */
const booked = (volume = 20) => bookedAndAccepted(h, budgetProgrammeId, { lines: [{ service_code: 'HOME-HOUSEHOLD-HOUR', volume_per_month: volume, months: 1 }] });
const actsOf = (bookingId: string) => h.service.orm.em.fork().execute(`select id, units, status, refusal_code from certificates.deliveries where booking_id = ? order by recorded_at`, [bookingId]);

describe('An act id sent again', () => {
  test('When the same id comes again with other units, then it is 409 delivery_id_conflict naming the field, and the act is still the first one', async () => {
    const { certificate, booking } = await booked();
    const provider = await h.as('zabota-staff');
    const id = randomUUID();
    const act = { id, delivered_on: certificate.general.valid_from, units: 2, staff };
    const first = await provider.post(`/v1/bookings/${booking.id}/deliveries`, act);
    expect(first.status).toBe(201);

    const other = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { ...act, units: 5 });
    expect(other.status).toBe(409);
    expect(other.body).toMatchObject({ code: 'delivery_id_conflict', delivery_id: id, fields: ['units'], detail: expect.stringContaining('новый идентификатор') });
    const otherStaff = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { ...act, staff: { ...staff, name: 'Петрова Анна Сергеевна' } });
    expect(otherStaff.body).toMatchObject({ status: 409, code: 'delivery_id_conflict', fields: ['staff.name'] });

    // The same act again: the first answer.
    const again = await provider.post(`/v1/bookings/${booking.id}/deliveries`, act);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(await actsOf(booking.id)).toEqual([{ id, units: 2, status: 'held', refusal_code: null }]);
    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '624.80' });
  });

  test('When an act id was refused and units are freed later, then the same act sent again is still refused with the same answer', async () => {
    const { certificate, booking } = await booked(2);
    const provider = await h.as('zabota-staff');
    const whole = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 2, staff });
    expect(whole.status).toBe(201);
    const act = { id: randomUUID(), delivered_on: certificate.general.valid_from, units: 1, staff };
    const refused = await provider.post(`/v1/bookings/${booking.id}/deliveries`, act);
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ code: 'units_beyond_booking', booking_id: booking.id, delivery_id: act.id });

    const disputed = await (await h.as('caseworker-73')).post(`/v1/deliveries/${whole.body.id}/dispute`, { reason: 'Услуга не оказывалась' });
    expect(disputed.status).toBe(200);

    const again = await provider.post(`/v1/bookings/${booking.id}/deliveries`, act);
    expect(again.status).toBe(422);
    expect(again.body).toEqual(refused.body);
    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00' });
    // A new id for the same act is a new act, and the freed units take it.
    const fresh = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { ...act, id: randomUUID() });
    expect(fresh.status).toBe(201);
  });
});

describe('One id, one outcome, whatever the timing', () => {
  test('When a new act id is sent ten times at once, then all ten get the same 201 and one act is held once', async () => {
    const { certificate, booking } = await booked();
    const provider = await h.as('zabota-staff');
    const act = { id: randomUUID(), delivered_on: certificate.general.valid_from, units: 3, staff };
    const answers = await Promise.all(Array.from({ length: 10 }, () => provider.post(`/v1/bookings/${booking.id}/deliveries`, act)));
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(201));
    for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
    expect(await actsOf(booking.id)).toEqual([{ id: act.id, units: 3, status: 'held', refusal_code: null }]);
    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '937.20' });
  });

  test('When a refused act id is sent again and again while a dispute frees its units, then every answer is the first refusal', async () => {
    const { certificate, booking } = await booked(2);
    const provider = await h.as('zabota-staff');
    const whole = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 2, staff });
    expect(whole.status).toBe(201);
    const act = { id: randomUUID(), delivered_on: certificate.general.valid_from, units: 1, staff };
    const send = () => provider.post(`/v1/bookings/${booking.id}/deliveries`, act);
    const before = Array.from({ length: 5 }, send);
    await before[0];
    const dispute = (await h.as('caseworker-73')).post(`/v1/deliveries/${whole.body.id}/dispute`, { reason: 'Услуга не оказывалась' });
    const during = Array.from({ length: 5 }, send);
    expect((await dispute).status).toBe(200);
    const after = Array.from({ length: 5 }, send);
    const answers = await Promise.all([...before, ...during, ...after]);
    expect(answers.map((a) => a.status)).toEqual(Array(15).fill(422));
    for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
    expect(answers[0]!.body).toMatchObject({ code: 'units_beyond_booking', delivery_id: act.id });
    expect((await actsOf(booking.id)).filter((a) => a.id === act.id)).toEqual([{ id: act.id, units: 1, status: 'refused', refusal_code: 'units_beyond_booking' }]);
  });

  test('When one id is sent at once with two different acts, then one is recorded and every other answer is the conflict', async () => {
    const { certificate, booking } = await booked();
    const provider = await h.as('zabota-staff');
    const id = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 6 }, (_, i) => provider.post(`/v1/bookings/${booking.id}/deliveries`, { id, delivered_on: certificate.general.valid_from, units: 1 + (i % 2), staff })),
    );
    const recorded = answers.filter((a) => a.status === 201);
    expect(recorded.length).toBe(3);
    for (const answer of recorded) expect(answer.body).toEqual(recorded[0]!.body);
    const conflicts = answers.filter((a) => a.status !== 201);
    expect(conflicts.map((a) => [a.status, a.body.code, a.body.fields])).toEqual(Array(3).fill([409, 'delivery_id_conflict', ['units']]));
    expect(await actsOf(booking.id)).toEqual([{ id, units: recorded[0]!.body.units, status: 'held', refusal_code: null }]);
  });
});

describe('Input PostgreSQL cannot store, and failures after a hold', () => {
  test.each([
    ['a NUL character in staff.name', { name: 'Попова\u0000Анна', position: 'социальный работник' }, 'staff.name'],
    ['an unpaired surrogate in staff.position', { name: 'Попова Анна', position: 'социальный \ud800работник' }, 'staff.position'],
  ])('When an act has %s, then it is refused as invalid before anything is held', async (_, badStaff, field) => {
    const { certificate, booking } = await booked();
    const provider = await h.as('zabota-staff');
    const res = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { id: randomUUID(), delivered_on: certificate.general.valid_from, units: 2, staff: badStaff });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'invalid_characters', errors: [expect.objectContaining({ field })] });
    expect(await actsOf(booking.id)).toEqual([]);
    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00' });
  });

  test('When the database refuses the acts after their holds were placed, then the holds are voided in the same request', async () => {
    const { certificate, booking } = await booked();
    const provider = await h.as('zabota-staff');
    const em = h.service.orm.em.fork();
    // A fault planted for this test: PostgreSQL refuses this staff position.
    await em.execute(`alter table certificates.deliveries add constraint test_refuse_position check (staff->>'position' <> 'отказ базы')`);
    try {
      const res = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { id: randomUUID(), delivered_on: certificate.general.valid_from, units: 2, staff: { ...staff, position: 'отказ базы' } });
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(await actsOf(booking.id)).toEqual([]);
      expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00' });
    } finally {
      await em.execute(`alter table certificates.deliveries drop constraint test_refuse_position`);
    }
    const next = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { id: randomUUID(), delivered_on: certificate.general.valid_from, units: 2, staff });
    expect(next.status).toBe(201);
    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '624.80' });
  });
});
