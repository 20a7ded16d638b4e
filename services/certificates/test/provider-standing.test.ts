import { randomUUID } from 'node:crypto';
import { httpClient } from '@esc/testing';
import { bookedAndAccepted, fundRegion, issueFor, nextSnils, startCertificates, ZABOTA_ID, type CertificatesHarness } from './harness';

/**
 * Issue 17: a provider the registry suspends or excludes stops working here. The registry publishes
 * provider.suspended / provider.excluded / provider.admitted through its outbox relay to certificates'
 * inbox; certificates keeps the provider's standing and refuses accepting bookings, new bookings and
 * new acts while it lasts, and tells the citizens with open bookings.
 */
let h: CertificatesHarness;
let budgetProgrammeId: string;
const inbox = `certificates-inbox-${randomUUID().slice(0, 8)}`;
const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };

beforeAll(async () => {
  h = await startCertificates(
    'certificates-provider-standing',
    { CONSUMERS_ENABLED: true, INBOX_QUEUE: inbox },
    { OUTBOX_RELAY_ENABLED: true, CERTIFICATES_INBOX_QUEUE: inbox },
  );
  budgetProgrammeId = await fundRegion(h, '5000000.00');
}, 90_000);
afterAll(() => h?.stop());

async function changeStatus(status: 'suspended' | 'admitted' | 'excluded', reason: string) {
  const committee = httpClient(h.service.config.REGISTRY_URL, await h.gateway.signIn('committee-73'));
  const res = await committee.post(`/v1/providers/${ZABOTA_ID}/status`, { status, reason });
  if (res.status !== 200) throw new Error(`status ${status}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Repeats `attempt` until `done` holds for its answer or 15 s pass; the last answer either way. */
async function until<T>(attempt: () => Promise<T>, done: (answer: T) => boolean): Promise<T> {
  let answer = await attempt();
  for (const deadline = Date.now() + 15_000; !done(answer) && Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) answer = await attempt();
  return answer;
}

test('When the registry suspends a provider, then accepting, booking and recording acts are refused with provider_suspended and the citizens with open bookings are told; re-admitted, it works again', async () => {
  // An accepted booking (acts are recorded on it) and one still waiting for the provider.
  const accepted = await bookedAndAccepted(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
  const waiting = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
  const caseworker = await h.as('caseworker-73');
  const requested = await caseworker.post(`/v1/certificates/${waiting.certificate.id}/bookings`, { line_id: waiting.certificate.services[0].line_id, provider_id: ZABOTA_ID });
  expect(requested.status).toBe(201);
  const provider = await h.as('zabota-admin');
  const recorder = await h.as('zabota-staff');
  const actOn = (bookingId: string) => recorder.post(`/v1/bookings/${bookingId}/deliveries`, { id: randomUUID(), delivered_on: accepted.certificate.general.valid_from, units: 1, staff });
  expect((await actOn(accepted.booking.id)).status).toBe(201);
  // A booking whose citizen will leave the suspended provider: two of its units delivered and held.
  const leaving = await bookedAndAccepted(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
  const leavingAct = await recorder.post(`/v1/bookings/${leaving.booking.id}/deliveries`, { id: randomUUID(), delivered_on: leaving.certificate.general.valid_from, units: 2, staff });
  expect(leavingAct.status).toBe(201);
  const lineOf = async () => (await caseworker.get(`/v1/certificates/${leaving.certificate.id}`)).body.services[0];
  const before = await lineOf();
  expect(before.units_booked).toBe(leaving.booking.units);
  const notYet = await caseworker.post(`/v1/bookings/${leaving.booking.id}/cancel`);
  expect(notYet.status).toBe(409);
  expect(notYet.body).toMatchObject({ code: 'booking_not_cancellable' });

  await changeStatus('suspended', 'Проверка выявила нарушения стандарта ухода');

  // The registry's event reaches certificates through the outbox relay: both citizens with an open booking find a notice in their history, naming what to do.
  const historyOf = (recipientId: string) => caseworker.get(`/v1/me/requests?recipient_id=${recipientId}`);
  for (const [recipientId, bookingId] of [
    [waiting.recipientId, requested.body.id],
    [accepted.recipientId, accepted.booking.id],
  ]) {
    const history = await until(() => historyOf(recipientId), (r) => r.body.notices?.length > 0);
    expect(history.status).toBe(200);
    expect(history.body.notices).toEqual([expect.objectContaining({ kind: 'provider_suspended', subject_id: bookingId, text: expect.stringContaining('другого поставщика') })]);
    // The same, for the notifications service, in the same transaction: why, what to do next, how to appeal.
    const events = (await h.outbox('refusal.recorded')).filter((e: any) => e.payload.subject_id === bookingId);
    expect(events.map((e: any) => e.payload)).toEqual([
      expect.objectContaining({ subject_kind: 'booking', code: 'provider_suspended', region_code: '73', recipient_snils: expect.stringMatching(/^\d{11}$/), next_steps: expect.stringContaining('другого поставщика') }),
    ]);
    expect(events[0]!.payload.reason).toContain('Поставщик: «');
  }

  const refusedAccept = await provider.post(`/v1/bookings/${requested.body.id}/accept`);
  expect(refusedAccept.status).toBe(422);
  expect(refusedAccept.body).toMatchObject({ code: 'provider_suspended', detail: expect.stringContaining('приостановлено'), next_steps: expect.stringContaining('другого поставщика') });

  const refusedAct = await actOn(accepted.booking.id);
  expect(refusedAct.status).toBe(422);
  expect(refusedAct.body).toMatchObject({ code: 'provider_suspended', booking_id: accepted.booking.id });
  // Kept as a refused act, like the other refusals of an act; the act held before stays held.
  const acts = await h.service.orm.em.fork().execute(`select status, refusal_code from certificates.deliveries where booking_id = ? order by recorded_at`, [accepted.booking.id]);
  expect(acts).toEqual([
    { status: 'held', refusal_code: null },
    { status: 'refused', refusal_code: 'provider_suspended' },
  ]);

  // The citizen leaves the suspended provider although services were delivered: what the booking has not
  // used goes back to the certificate for another provider; its held act is still theirs to confirm or dispute.
  const cabinet = await until(
    () => caseworker.get(`/v1/me/bookings?recipient_id=${leaving.recipientId}`),
    (r) => r.body.items?.[0]?.cancel_unavailable_reason === null,
  );
  expect(cabinet.body.items).toEqual([expect.objectContaining({ id: leaving.booking.id, cancel_unavailable_reason: null })]);
  const left = await caseworker.post(`/v1/bookings/${leaving.booking.id}/cancel`);
  expect(left.status).toBe(200);
  expect(left.body).toMatchObject({ status: 'cancelled', units_in_use: 2 });
  expect(await lineOf()).toMatchObject({ units_booked: 2 });
  // Disputed, the held act's units are free too; nothing stays booked by the cancelled booking.
  expect((await caseworker.post(`/v1/deliveries/${leavingAct.body.id}/dispute`, { reason: 'Услуга не оказана' })).status).toBe(200);
  expect(await lineOf()).toMatchObject({ units_booked: 0 });

  const another = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
  const refusedBooking = await caseworker.post(`/v1/certificates/${another.certificate.id}/bookings`, { line_id: another.certificate.services[0].line_id, provider_id: ZABOTA_ID });
  expect(refusedBooking.status).toBe(422);
  expect(refusedBooking.body).toMatchObject({ code: 'provider_suspended', provider_id: ZABOTA_ID, next_steps: expect.stringContaining('другого поставщика') });
  const anotherHistory = await caseworker.get(`/v1/me/requests?recipient_id=${another.recipientId}`);
  expect(anotherHistory.body.items).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'refusal', refusal: expect.objectContaining({ code: 'provider_suspended' }) })]));

  await changeStatus('admitted', 'Нарушения устранены');

  const acceptedNow = await until(() => provider.post(`/v1/bookings/${requested.body.id}/accept`), (r) => r.status === 200);
  expect(acceptedNow.status).toBe(200);
  expect(acceptedNow.body.status).toBe('accepted');
  expect((await actOn(accepted.booking.id)).status).toBe(201);
  // A new booking is no longer refused for the suspension; the registry withdrew the services' admission, so it waits for a new selection round.
  const third = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
  const bookedAgain = await caseworker.post(`/v1/certificates/${third.certificate.id}/bookings`, { line_id: third.certificate.services[0].line_id, provider_id: ZABOTA_ID });
  expect(bookedAgain.body.code).toBe('provider_not_admitted');
}, 60_000);
