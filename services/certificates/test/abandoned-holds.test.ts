import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ledgerAccountIds } from '@esc/ledger-client';
import { SYSTEM_PRINCIPAL } from '../src/domain/context';
import { voidAbandonedHolds } from '../src/domain/abandoned-holds';
import { bookedAndAccepted, fundRegion, ledgerAccount, startCertificates, ZABOTA_ID, type CertificatesHarness } from './harness';

let h: CertificatesHarness;
beforeAll(async () => {
  h = await startCertificates('certificates-abandoned-holds');
}, 60_000);
afterAll(() => h?.stop());

const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };
const ONE_UNIT = '312.40';

/**
 * The state a certificates process leaves when it stops after the ledger placed an act's hold and
 * before the act was written: the hold, exactly as recording places it, and no act.
 */
async function holdWithoutAct() {
  const { certificate, booking } = await bookedAndAccepted(h, await fundRegion(h));
  const actId = randomUUID();
  const deliveredOn: string = certificate.general.valid_from;
  const { confirmationWindowSeconds, holdGraceSeconds } = h.service.deps.settings;
  const placed = await (await h.asService('certificates', h.ledgerUrl)).post('/v1/transfers', {
    transfers: [
      {
        id: actId,
        debit_account_id: ledgerAccountIds.certificate(certificate.id),
        credit_account_id: ledgerAccountIds.providerPayable(ZABOTA_ID),
        amount: ONE_UNIT,
        code: 'authorise_delivery',
        reference: `Акт ${actId.slice(0, 8)} от ${deliveredOn}`,
        flags: { pending: true },
        timeout_seconds: confirmationWindowSeconds + holdGraceSeconds,
      },
    ],
  });
  expect(placed.body).toMatchObject({ results: [{ status: 'created' }] });
  expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: ONE_UNIT });
  const act = { id: actId, delivered_on: deliveredOn, units: 1, staff };
  return { certificate, booking, actId, act };
}

async function pendingStatus(id: string) {
  return (await (await h.ledger()).get(`/v1/transfers/${id}`)).body.pending_status;
}

async function lineUsage(lineId: string) {
  return h.service.orm.em.fork().execute(`select units_consumed, amount_consumed::text from certificates.certificate_lines where id = ?`, [lineId]);
}

test('When an act’s hold was placed and its act never written nor sent again, then the sweep voids the hold once the wait has passed, and the id answers delivery_id_abandoned', async () => {
  const { certificate, booking, actId, act } = await holdWithoutAct();

  // Within the wait a recording could still be running: nothing is touched.
  await voidAbandonedHolds(h.service.deps, SYSTEM_PRINCIPAL, { olderThanSeconds: 3600 });
  expect(await pendingStatus(actId)).toBe('pending');

  expect(await voidAbandonedHolds(h.service.deps, SYSTEM_PRINCIPAL, { olderThanSeconds: 0 })).toBeGreaterThanOrEqual(1);
  expect(await pendingStatus(actId)).toBe('voided');
  expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00' });
  const kept = await h.service.orm.em.fork().execute(`select certificate_id, amount::text, voided_at is not null as voided from certificates.abandoned_holds where id = ?`, [actId]);
  expect(kept).toEqual([{ certificate_id: certificate.id, amount: ONE_UNIT, voided: true }]);
  // Run again, it finds nothing more to do.
  expect(await voidAbandonedHolds(h.service.deps, SYSTEM_PRINCIPAL, { olderThanSeconds: 0 })).toBe(0);

  // The provider sends the act at last: its id is spent, the act is not written over a voided hold.
  const provider = await h.as('zabota-staff');
  const late = await provider.post(`/v1/bookings/${booking.id}/deliveries`, act);
  expect(late.status).toBe(409);
  expect(late.body).toMatchObject({ code: 'delivery_id_abandoned', delivery_id: actId, detail: expect.stringContaining('новым идентификатором') });
  expect(await h.service.orm.em.fork().execute(`select id from certificates.deliveries where id = ?`, [actId])).toEqual([]);
  expect(await lineUsage(booking.line_id)).toEqual([{ units_consumed: 0, amount_consumed: '0.00' }]);

  const again = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { ...act, id: randomUUID() });
  expect(again.status).toBe(201);
  expect(again.body).toMatchObject({ status: 'held', amount: ONE_UNIT });
  expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: ONE_UNIT });
  expect((await (await h.ledger()).get('/v1/audit/invariants')).body).toMatchObject({ ok: true });
});

test('When the act is sent again before the sweep, then it is written over its hold and the sweep leaves the hold to it', async () => {
  const { certificate, booking, actId, act } = await holdWithoutAct();
  const resent = await (await h.as('zabota-staff')).post(`/v1/bookings/${booking.id}/deliveries`, act);
  expect(resent.status).toBe(201);
  expect(resent.body).toMatchObject({ id: actId, status: 'held', amount: ONE_UNIT });

  await voidAbandonedHolds(h.service.deps, SYSTEM_PRINCIPAL, { olderThanSeconds: 0 });
  expect(await pendingStatus(actId)).toBe('pending');
  expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: ONE_UNIT });
  expect(await h.service.orm.em.fork().execute(`select id from certificates.abandoned_holds where id = ?`, [actId])).toEqual([]);
});

test('When the act is sent again while the sweep gives its hold up, then it is refused delivery_id_abandoned, never written held over the voided hold', async () => {
  const { certificate, booking, actId, act } = await holdWithoutAct();
  // The sweep's transaction: the certificate's lines locked, as it holds them while giving the id up.
  const sweep = new Client({ connectionString: h.service.config.DATABASE_URL });
  await sweep.connect();
  try {
    await sweep.query('begin');
    await sweep.query(`select id from certificates.certificate_lines where certificate_id = $1 order by id for update`, [certificate.id]);
    const resend = (await h.as('zabota-staff')).post(`/v1/bookings/${booking.id}/deliveries`, act);
    // The resend reads its snapshot and waits for the lock: it cannot see the id given up below.
    const deadline = Date.now() + 10_000;
    while ((await sweep.query(`select 1 from pg_locks where not granted and locktype in ('transactionid', 'tuple')`)).rowCount === 0) {
      if (Date.now() > deadline) throw new Error('the resend never waited for the line lock');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    await sweep.query(`insert into certificates.abandoned_holds (id, certificate_id, amount, placed_at) values ($1, $2, $3, clock_timestamp())`, [actId, certificate.id, ONE_UNIT]);
    await sweep.query('commit');
    const answer = await resend;
    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ code: 'delivery_id_abandoned', delivery_id: actId });
  } finally {
    await sweep.end();
  }
  expect(await h.service.orm.em.fork().execute(`select id from certificates.deliveries where id = ?`, [actId])).toEqual([]);
  expect(await lineUsage(booking.line_id)).toEqual([{ units_consumed: 0, amount_consumed: '0.00' }]);
  // The sweep then voids what it gave up.
  await voidAbandonedHolds(h.service.deps, SYSTEM_PRINCIPAL, { olderThanSeconds: 3600 });
  expect(await pendingStatus(actId)).toBe('voided');
  expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00' });
});

test('When a hold is left under the id of an act stored refused (an attempt that lost to the refusal), then the sweep voids it and the id still answers its refusal', async () => {
  const { certificate, booking, actId, act } = await holdWithoutAct();
  // The refusal another attempt wrote under the same id while this hold was placed.
  await h.service.orm.em.fork().execute(
    `insert into certificates.deliveries (id, booking_id, certificate_id, line_id, provider_id, recipient_id, delivered_on, units, staff, amount, gross_amount, status, refusal_code, resolved_at, confirm_by, recorded_by)
     select ?, b.id, b.certificate_id, b.line_id, b.provider_id, b.recipient_id, ?, 99, ?::jsonb, 0, 0, 'refused', 'units_beyond_booking', now(), now(), 'test' from certificates.bookings b where b.id = ?`,
    [actId, act.delivered_on, JSON.stringify(staff), booking.id],
  );
  await voidAbandonedHolds(h.service.deps, SYSTEM_PRINCIPAL, { olderThanSeconds: 0 });
  expect(await pendingStatus(actId)).toBe('voided');
  expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00' });
  const again = await (await h.as('zabota-staff')).post(`/v1/bookings/${booking.id}/deliveries`, { ...act, units: 99 });
  expect(again.status).toBe(422);
  expect(again.body).toMatchObject({ code: 'units_beyond_booking', delivery_id: actId });
});
