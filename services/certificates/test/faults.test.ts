import { randomUUID } from 'node:crypto';
import net from 'node:net';
import { derivedTransferId, ledgerAccountIds } from '@esc/ledger-client';
import { Money } from '@esc/money';
import { createCertificatesService } from '../src/app';
import { SYSTEM_PRINCIPAL } from '../src/domain/context';
import { postLapsed } from '../src/domain/deliveries';
import { partialPostAmount } from '../src/domain/fees';
import { completeInterrupted } from '../src/jobs/schedules';
import { httpClient } from '@esc/testing';
import { bookedAndAccepted, fundRegion, ledgerAccount, startCertificates, ZABOTA_ID, type CertificatesHarness } from './harness';

let h: CertificatesHarness;
beforeAll(async () => {
  h = await startCertificates('certificates-faults');
}, 60_000);
afterAll(() => h?.stop());

test('When the ledger is unreachable while an act is recorded, then the provider gets 503 and the recovery job places the hold later, once', async () => {
  const budgetProgrammeId = await fundRegion(h);
  const { certificate, booking } = await bookedAndAccepted(h, budgetProgrammeId);
  const caseworker = await h.as('caseworker-73');

  // A second instance of the service on the same database whose ledger address answers nothing.
  const cut = await createCertificatesService({
    ...h.service.config,
    LEDGER_URL: 'http://127.0.0.1:9',
    RUN_MIGRATIONS: false,
  });
  const { url } = await cut.start(0);
  try {
    const provider = httpClient(url, await h.gateway.signIn('zabota-staff'));
    const res = await provider.post(`/v1/bookings/${booking.id}/deliveries`, {
      delivered_on: certificate.general.valid_from,
      units: 2,
      staff: { name: 'Попова Анна Сергеевна', position: 'социальный работник' },
    });
    expect(res.status).toBe(503);
    expect(res.body).toMatchObject({ code: 'ledger_unavailable', detail: expect.stringContaining('Повторите') });
  } finally {
    await cut.stop();
  }
  const stuck = await h.service.orm.em.fork().execute(`select id, status from certificates.deliveries where booking_id = ?`, [booking.id]);
  expect(stuck).toEqual([expect.objectContaining({ status: 'authorising' })]);
  expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00' });

  await h.service.orm.em.fork().execute(`update certificates.deliveries set recorded_at = recorded_at - interval '1 minute' where booking_id = ?`, [booking.id]);
  expect(await completeInterrupted(h.service.deps, SYSTEM_PRINCIPAL, {})).toBeGreaterThanOrEqual(1);
  expect(await completeInterrupted(h.service.deps, SYSTEM_PRINCIPAL, {})).toBe(0);
  const held = await caseworker.get(`/v1/deliveries/${stuck[0]!.id}`);
  expect(held.body).toMatchObject({ status: 'held', amount: '624.80' });
  expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '624.80' });
});

test('When the ledger refuses a hold the service thought affordable, then the act is stored refused with its reason, its units stay free and nothing is held', async () => {
  const budgetProgrammeId = await fundRegion(h);
  const { certificate, booking } = await bookedAndAccepted(h, budgetProgrammeId);
  // The certificate's money leaves its account behind the service's back: only the ledger knows.
  const before = await ledgerAccount(h, certificate.id);
  const drained = await (await h.asService('settlement', h.ledgerUrl)).post('/v1/transfers', {
    transfers: [
      {
        id: randomUUID(),
        debit_account_id: certificate.id,
        credit_account_id: ledgerAccountIds.budgetAllocation(budgetProgrammeId),
        amount: (Number(before.credits_posted) - Number(before.debits_posted)).toFixed(2),
        code: 'test_drain',
      },
    ],
  });
  expect(drained.body).toMatchObject({ created: 1, failed: 0 });

  const provider = await h.as('zabota-staff');
  const actId = randomUUID();
  const res = await provider.post(`/v1/bookings/${booking.id}/deliveries`, {
    id: actId,
    delivered_on: certificate.general.valid_from,
    units: 2,
    staff: { name: 'Попова Анна Сергеевна', position: 'социальный работник' },
  });
  expect(res.status).toBe(422);
  expect(res.body).toMatchObject({ code: 'insufficient_balance', delivery_id: actId, next_steps: expect.any(String) });

  const em = h.service.orm.em.fork();
  expect(await em.execute(`select status, refusal_code from certificates.deliveries where id = ?`, [actId])).toEqual([{ status: 'refused', refusal_code: 'insufficient_balance' }]);
  expect(await em.execute(`select units_consumed, amount_consumed::text from certificates.certificate_lines where id = ?`, [certificate.services[0].line_id])).toEqual([
    { units_consumed: 0, amount_consumed: '0.00' },
  ]);
  expect(await em.execute(`select code from certificates.refusals where subject_id = ?`, [actId])).toEqual([{ code: 'insufficient_balance' }]);
  expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00' });
  // The same act sent again meets the stored refusal, not a second attempt.
  const again = await provider.post(`/v1/bookings/${booking.id}/deliveries`, { id: actId, delivered_on: certificate.general.valid_from, units: 2, staff: { name: 'Попова Анна Сергеевна', position: 'социальный работник' } });
  expect(again.body).toMatchObject({ code: 'insufficient_balance' });
});

test('When the ledger accepts the connection but never answers, then recording gives up after LEDGER_TIMEOUT_MS with 503 and leaves the lines free', async () => {
  const budgetProgrammeId = await fundRegion(h);
  const { certificate, booking } = await bookedAndAccepted(h, budgetProgrammeId);
  const accepted: net.Socket[] = [];
  const silent = net.createServer((socket) => void accepted.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const cut = await createCertificatesService({
    ...h.service.config,
    LEDGER_URL: `http://127.0.0.1:${(silent.address() as net.AddressInfo).port}`,
    LEDGER_TIMEOUT_MS: 300,
    RUN_MIGRATIONS: false,
  });
  const { url } = await cut.start(0);
  const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };
  try {
    const started = Date.now();
    const res = await httpClient(url, await h.gateway.signIn('zabota-staff')).post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 1, staff });
    expect(res.status).toBe(503);
    expect(Date.now() - started).toBeLessThan(5_000);
  } finally {
    await cut.stop();
    accepted.forEach((socket) => socket.destroy());
    await new Promise((resolve) => silent.close(resolve));
  }
  // The timed-out act waits for the recovery job; the line is not left locked for the next one.
  const next = await (await h.as('zabota-staff')).post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: certificate.general.valid_from, units: 1, staff });
  expect(next.body).toMatchObject({ status: 'held', amount: '312.40' });
  const acts = await h.service.orm.em.fork().execute(`select status from certificates.deliveries where booking_id = ? order by recorded_at`, [booking.id]);
  expect(acts).toEqual([{ status: 'authorising' }, { status: 'held' }]);
});

describe('When the ledger resolved a hold and the service lost its write (a crash between the two)', () => {
  const staff = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };

  async function heldAct(units: number) {
    const budgetProgrammeId = await fundRegion(h);
    const { certificate, booking } = await bookedAndAccepted(h, budgetProgrammeId);
    const act = await (await h.as('zabota-staff')).post(`/v1/bookings/${booking.id}/deliveries`, { delivered_on: certificate.general.valid_from, units, staff });
    expect(act.body).toMatchObject({ status: 'held' });
    return { certificate, act: act.body as { id: string; amount: string; line_id: string } };
  }

  /** What settling's first attempt sent to the ledger before its own write was lost. */
  async function resolvedOnlyInLedger(transfer: Record<string, unknown>) {
    const res = await (await h.asService('certificates', h.ledgerUrl)).post('/v1/transfers', { transfers: [transfer] });
    expect(res.body).toMatchObject({ created: 1, failed: 0 });
  }

  test('a part posted: the next settling records the ledger\'s units and amount, the counters and redemption.posted, and tells the caller it was decided', async () => {
    const { certificate, act } = await heldAct(3);
    const posted = partialPostAmount(Money.parse(act.amount), 3, 2).toString();
    await resolvedOnlyInLedger({ id: derivedTransferId(act.id, 'post'), pending_id: act.id, amount: posted, flags: { post_pending: true } });
    const payableBefore = await ledgerAccount(h, ledgerAccountIds.providerPayable(ZABOTA_ID));

    const caseworker = await h.as('caseworker-73');
    const confirmed = await caseworker.post(`/v1/deliveries/${act.id}/confirm`, {});
    expect(confirmed.status).toBe(409);
    expect(confirmed.body).toMatchObject({ code: 'delivery_already_resolved' });

    const read = await caseworker.get(`/v1/deliveries/${act.id}`);
    expect(read.body).toMatchObject({ status: 'posted', confirmed_units: 2, posted_amount: posted, resolution: 'partly_disputed', dispute_reason: expect.stringContaining('леджер') });
    const em = h.service.orm.em.fork();
    expect(await em.execute(`select units_consumed, units_confirmed, amount_posted::text from certificates.certificate_lines where id = ?`, [act.line_id])).toEqual([
      { units_consumed: 2, units_confirmed: 2, amount_posted: posted },
    ]);
    expect(await em.execute(`select resolved_by from certificates.deliveries where id = ?`, [act.id])).toEqual([{ resolved_by: 'system:ledger-reconciliation' }]);
    const events = (await h.outbox('redemption.posted')).filter((e) => e.payload.redemption_id === act.id);
    expect(events).toEqual([expect.objectContaining({ payload: expect.objectContaining({ units: 2, amount: posted }) })]);
    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00', debits_posted: posted });
    // Nothing moved twice: the payable holds exactly what the one post moved.
    expect(await ledgerAccount(h, ledgerAccountIds.providerPayable(ZABOTA_ID))).toMatchObject({ credits_posted: payableBefore.credits_posted });

    const again = await caseworker.post(`/v1/deliveries/${act.id}/confirm`, {});
    expect(again.body).toMatchObject({ code: 'delivery_already_resolved', delivery_status: 'posted' });
  });

  test('voided: the lapse job records the void and gives the units back instead of leaving the act held forever', async () => {
    const { certificate, act } = await heldAct(2);
    await resolvedOnlyInLedger({ id: derivedTransferId(act.id, 'void'), pending_id: act.id, flags: { void_pending: true } });
    const em = h.service.orm.em.fork();
    await em.execute(`update certificates.deliveries set confirm_by = clock_timestamp() - interval '1 second' where id = ?`, [act.id]);

    await postLapsed(h.service.deps, SYSTEM_PRINCIPAL, {});
    expect(await em.execute(`select status, resolution, confirmed_units, posted_amount::text from certificates.deliveries where id = ?`, [act.id])).toEqual([
      { status: 'voided', resolution: 'disputed', confirmed_units: 0, posted_amount: '0.00' },
    ]);
    expect(await em.execute(`select units_consumed, amount_consumed::text from certificates.certificate_lines where id = ?`, [act.line_id])).toEqual([{ units_consumed: 0, amount_consumed: '0.00' }]);
    expect((await h.outbox('redemption.posted')).filter((e) => e.payload.redemption_id === act.id)).toEqual([]);
    expect(await ledgerAccount(h, certificate.id)).toMatchObject({ debits_pending: '0.00', debits_posted: '0.00' });
    expect(await em.execute(`select count(*)::int as n from certificates.deliveries where id = ? and status = 'held'`, [act.id])).toEqual([{ n: 0 }]);
  });
});
