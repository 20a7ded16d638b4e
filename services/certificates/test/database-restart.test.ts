import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { SYSTEM_PRINCIPAL } from '../src/domain/context';
import { completeInterrupted } from '../src/jobs/schedules';
import { bookedAndAccepted, fundRegion, ledgerAccount, startCertificates, type CertificatesHarness } from './harness';

/**
 * Issue 17: what a PostgreSQL restart does to the services — every connection of theirs is dropped at
 * once — done while providers record acts and a case worker confirms them (pg_terminate_backend on every session
 * of the test's database but the one asking). The ledger and certificates share the database, so both
 * lose their pools at the same moment. Answers may fail for a moment, never with money created or lost:
 * once what failed is sent again and the recovery job has run, every act is final, each
 * certificate's pending and posted debits in the ledger are exactly its acts', and the invariants hold.
 */

let h: CertificatesHarness;
beforeAll(async () => {
  h = await startCertificates('certificates-database-restart');
}, 60_000);
afterAll(() => h?.stop());

const STAFF = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('When every database connection is dropped five times during a load of acts and confirmations, then the services recover and not a kopeck is created or lost', async () => {
  const budgetProgrammeId = await fundRegion(h);
  const booked = await Promise.all(Array.from({ length: 8 }, () => bookedAndAccepted(h, budgetProgrammeId)));
  const provider = await h.as('zabota-staff');
  const caseworker = await h.as('caseworker-73');
  const statuses: number[] = [];
  const unconfirmed: string[] = [];
  const unrecorded: Array<{ path: string; body: Record<string, unknown> }> = [];
  let restartsOver = false;

  const load = (async () => {
    for (let last = false; !last; await sleep(50)) {
      last = restartsOver;
      const answers = await Promise.all(
        booked.map(async ({ booking, certificate }) => {
          const request = { path: `/v1/bookings/${booking.id}/deliveries`, body: { id: randomUUID(), delivered_on: certificate.general.valid_from, units: 1, staff: STAFF } };
          const act = await provider.post(request.path, request.body);
          statuses.push(act.status);
          if (act.status !== 201) return void unrecorded.push(request);
          const confirmed = await caseworker.post(`/v1/deliveries/${act.body.id}/confirm`);
          statuses.push(confirmed.status);
          if (confirmed.status !== 200) unconfirmed.push(act.body.id);
        }),
      );
      void answers;
    }
  })();

  const admin = h.service.orm.em.fork();
  for (const pause of [300, 250, 250, 250, 250]) {
    await sleep(pause);
    await admin.execute(`select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()`);
  }
  await sleep(500);
  restartsOver = true;
  await load;

  // A request that met a dropped connection may fail; none may answer a success it did not keep.
  expect(statuses.filter((s) => ![200, 201, 409, 500, 503].includes(s))).toEqual([]);
  expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(booked.length);

  // What failed is sent again, as people do: the provider the same act under the same id (a hold the
  // ledger placed before the act's write was lost is found, not placed twice), the case worker the
  // confirmation (an act whose money the ledger posted before the answer was lost is recorded as the
  // ledger has it: 409 delivery_already_resolved).
  for (const { path, body } of unrecorded) {
    const again = await provider.post(path, body);
    expect(again.status).toBe(201);
    if ((await caseworker.post(`/v1/deliveries/${body.id}/confirm`)).status !== 200) unconfirmed.push(String(body.id));
  }
  for (const id of unconfirmed) expect([200, 409]).toContain((await caseworker.post(`/v1/deliveries/${id}/confirm`)).status);

  const db = h.service.orm.em.fork();
  await db.execute(`update certificates.deliveries set recorded_at = recorded_at - interval '1 minute' where status in ('authorising', 'settling')`);
  while ((await completeInterrupted(h.service.deps, SYSTEM_PRINCIPAL, {})) > 0);
  const acts: Array<{ status: string; amount: string | null; posted_amount: string | null; certificate_id: string }> = await db.execute(
    `select d.status, d.amount::text as amount, d.posted_amount::text as posted_amount, b.certificate_id
       from certificates.deliveries d join certificates.bookings b on b.id = d.booking_id`,
  );
  expect(acts.filter((a) => a.status !== 'posted')).toEqual([]);

  const sum = (values: Array<string | null>) => values.reduce((total, v) => total.add(Money.parse(v ?? '0.00')), Money.zero()).toString();
  for (const { certificate } of booked) {
    const mine = acts.filter((a) => a.certificate_id === certificate.id);
    const account = await ledgerAccount(h, certificate.id);
    expect(account.debits_pending).toBe(sum(mine.filter((a) => a.status === 'held').map((a) => a.amount)));
    expect(account.debits_posted).toBe(sum(mine.filter((a) => a.status !== 'held' && a.status !== 'refused').map((a) => a.posted_amount)));
  }
  expect((await (await h.ledger()).get('/v1/audit/invariants')).body.ok).toBe(true);
}, 120_000);
