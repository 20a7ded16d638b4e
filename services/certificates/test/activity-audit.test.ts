import { randomUUID } from 'node:crypto';
import { SYSTEM_PRINCIPAL } from '../src/domain/context';
import { postLapsed } from '../src/domain/deliveries';
import { bookedAndAccepted, fundRegion, issueFor, nextSnils, startCertificates, ZABOTA_ID, type CertificatesHarness } from './harness';

/**
 * Acts and bookings in the audit log (ADR 0003): every transition once, with who, when, for whom,
 * before and after, appended from the outbox events by the relay; a refused act has no record; the
 * chain verifies, and an event relayed again adds nothing.
 */

let h: CertificatesHarness;
let budgetProgrammeId: string;
const started = new Date().toISOString();

beforeAll(async () => {
  // A short confirmation window, so that acts lapse within the test; the ledger keeps the holds long after.
  h = await startCertificates('activity-audit', { OUTBOX_RELAY_ENABLED: true, CONFIRMATION_WINDOW_SECONDS: 2, HOLD_GRACE_SECONDS: 600 });
  budgetProgrammeId = await fundRegion(h);
}, 90_000);
afterAll(() => h?.stop());

const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };
const sql = (text: string, values: unknown[] = []): Promise<any[]> => h.service.orm.em.fork().execute(text, values);

/** Waits until the relay has published every event, so their records are in the log. */
async function relayed(): Promise<void> {
  for (const deadline = Date.now() + 20_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 100))) {
    const [{ pending }] = await sql(`select count(*)::int as pending from certificates.outbox where published_at is null`);
    if (pending === 0) return;
  }
  throw new Error('the outbox relay did not publish every event within 20 s');
}

async function recordsOf(objectType: string, id: string): Promise<Array<Record<string, any>>> {
  const res = await (await h.as('auditor')).get(`/v1/audit-log?object_type=${objectType}&object_id=${id}`);
  expect(res.status).toBe(200);
  return res.body.items as Array<Record<string, any>>;
}

const summary = (records: Array<Record<string, any>>) => records.map((r) => [r.action, r.before?.status ?? null, r.after?.status ?? null]);

test('When bookings are created, accepted, declined, cancelled by the citizen’s case worker and cancelled by a revocation, then each transition is recorded once with who, when, before and after', async () => {
  const caseworker = await h.as('caseworker-73');
  const provider = await h.as('zabota-admin');
  const accepted = await bookedAndAccepted(h, budgetProgrammeId);
  const declinedFixture = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
  const book = async (certificate: any) => {
    const res = await caseworker.post(`/v1/certificates/${certificate.id}/bookings`, { id: randomUUID(), line_id: certificate.services[0].line_id, provider_id: ZABOTA_ID });
    expect(res.status).toBe(201);
    return res.body.id as string;
  };
  const declined = await book(declinedFixture.certificate);
  expect((await provider.post(`/v1/bookings/${declined}/decline`, { code: 'no_staff_in_area', reason: 'Нет работников в районе' })).status).toBe(200);
  const cancelledFixture = await issueFor(h, budgetProgrammeId, { recipient: { snils: nextSnils() } });
  const cancelled = await book(cancelledFixture.certificate);
  expect((await caseworker.post(`/v1/bookings/${cancelled}/cancel`, {})).status).toBe(200);
  const revoked = await bookedAndAccepted(h, budgetProgrammeId);
  expect((await caseworker.post(`/v1/certificates/${revoked.certificate.id}/revoke`, { reason: 'Получатель переехал' })).status).toBe(200);
  await relayed();

  const acceptedRecords = await recordsOf('booking', accepted.booking.id);
  expect(summary(acceptedRecords)).toEqual([
    ['booking.created', null, 'requested'],
    ['booking.accepted', 'requested', 'accepted'],
  ]);
  const [created, acceptedRecord] = acceptedRecords;
  const [row] = await sql(`select requested_by, decided_by from certificates.bookings where id = ?`, [accepted.booking.id]);
  expect(created).toMatchObject({
    actor: row.requested_by,
    on_behalf_of: accepted.recipientId,
    after: { certificate_id: accepted.certificate.id, line_id: accepted.line.line_id, provider_id: ZABOTA_ID, units: accepted.booking.units, units_per_month: 20 },
  });
  expect(created!.at >= started && created!.at <= new Date().toISOString()).toBe(true);
  expect(acceptedRecord).toMatchObject({ actor: row.decided_by, actor_name: expect.any(String) });

  expect(summary(await recordsOf('booking', declined))).toEqual([
    ['booking.created', null, 'requested'],
    ['booking.declined', 'requested', 'declined'],
  ]);
  expect((await recordsOf('booking', declined))[1]!.after).toEqual({ status: 'declined', decline_code: 'no_staff_in_area', reason: 'Нет работников в районе' });
  expect(summary(await recordsOf('booking', cancelled))).toEqual([
    ['booking.created', null, 'requested'],
    ['booking.cancelled', 'requested', 'cancelled'],
  ]);
  const revokedRecords = await recordsOf('booking', revoked.booking.id);
  expect(summary(revokedRecords)).toEqual([
    ['booking.created', null, 'requested'],
    ['booking.accepted', 'requested', 'accepted'],
    ['booking.cancelled', 'accepted', 'cancelled'],
  ]);
  // The case worker who revoked the certificate cancelled its booking.
  const [revocation] = await recordsOf('certificate', revoked.certificate.id).then((r) => r.filter((x) => x.action === 'certificate.revoked'));
  expect(revokedRecords[2]!.actor).toBe(revocation!.actor);
}, 120_000);

test('When acts are held, confirmed, disputed, partly disputed, auto-confirmed and let lapse in the ledger, and one is refused, then each transition is recorded once and the refused act has no record', async () => {
  const { certificate, booking, recipientId } = await bookedAndAccepted(h, budgetProgrammeId);
  const provider = await h.as('zabota-staff');
  const caseworker = await h.as('caseworker-73');
  const record = async (units: number) => {
    const res = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { id: randomUUID(), delivered_on: certificate.general.valid_from, units, staff });
    expect(res.status).toBe(201);
    return res.body as { id: string; amount: string; units: number };
  };
  const confirmed = await record(2);
  expect((await caseworker.post(`/v1/deliveries/${confirmed.id}/confirm`, {})).status).toBe(200);
  const disputed = await record(1);
  expect((await caseworker.post(`/v1/deliveries/${disputed.id}/dispute`, { reason: 'Работник не приходил' })).status).toBe(200);
  const partly = await record(3);
  expect((await caseworker.post(`/v1/deliveries/${partly.id}/confirm`, { units: 1, dispute_reason: 'Два часа не отработаны' })).status).toBe(200);
  const lapsing = await record(1);
  // This act's hold lapses in the ledger with its confirmation window: the settings are read per act.
  const settings = h.service.deps.settings;
  const kept = { ...settings };
  Object.assign(settings, { confirmationWindowSeconds: 1, holdGraceSeconds: 0 });
  const expiring = await record(1).finally(() => Object.assign(settings, kept));
  const refused = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { id: randomUUID(), delivered_on: certificate.general.valid_from, units: 500, staff });
  expect(refused.body).toMatchObject({ status: 422, code: 'units_beyond_booking' });

  await new Promise((r) => setTimeout(r, 2_500));
  expect(await postLapsed(h.service.deps, SYSTEM_PRINCIPAL, {})).toBe(2);
  await relayed();

  const acts = await sql(`select id, status, resolution, recorded_by, resolved_by, amount::text as amount, posted_amount::text as posted_amount from certificates.deliveries where booking_id = ?`, [booking.id]);
  const act = (id: string) => acts.find((a: any) => a.id === id);
  expect(act(lapsing.id)).toMatchObject({ status: 'posted', resolution: 'auto_confirmed' });
  expect(act(expiring.id)).toMatchObject({ status: 'voided', resolution: 'hold_expired' });
  const expected: Array<[{ id: string; amount: string; units: number }, string, string, number]> = [
    [confirmed, 'act.confirmed', 'posted', 2],
    [disputed, 'act.disputed', 'voided', 0],
    [partly, 'act.partly_disputed', 'posted', 1],
    [lapsing, 'act.auto_confirmed', 'posted', 1],
    [expiring, 'act.hold_expired', 'voided', 0],
  ];
  for (const [sent, action, status, units] of expected) {
    const records = await recordsOf('act', sent.id);
    expect(summary(records)).toEqual([
      ['act.held', null, 'held'],
      [action, 'held', status],
    ]);
    const [held, settled] = records;
    const stored = act(sent.id);
    expect(held).toMatchObject({ actor: stored.recorded_by, on_behalf_of: recipientId, after: { units: sent.units, amount: sent.amount, booking_id: booking.id, certificate_id: certificate.id } });
    expect(settled).toMatchObject({
      actor: stored.resolved_by,
      on_behalf_of: recipientId,
      before: { status: 'held', units: sent.units, amount: sent.amount },
      after: { status, confirmed_units: units, posted_amount: stored.posted_amount },
    });
    expect(held!.at <= settled!.at).toBe(true);
  }
  expect((await recordsOf('act', disputed.id))[1]!.after.dispute_reason).toBe('Работник не приходил');
  expect((await recordsOf('act', lapsing.id))[1]!.actor).toBe('system:confirmation-window');
  expect(await recordsOf('act', refused.body.delivery_id)).toEqual([]);
}, 120_000);

test('When every event is relayed again, then the log gains nothing and its chain verifies', async () => {
  const auditor = await h.as('auditor');
  const before = await auditor.get('/v1/audit-log/verification');
  expect(before.body).toMatchObject({ broken: null });
  const [{ acts }] = await sql(`select count(*)::int as acts from certificates.audit_log where object_type in ('act', 'booking')`);
  expect(acts).toBeGreaterThan(20);

  await sql(`update certificates.outbox set published_at = null`);
  await relayed();
  const after = await auditor.get('/v1/audit-log/verification');
  expect(after.body).toEqual(before.body);
});
