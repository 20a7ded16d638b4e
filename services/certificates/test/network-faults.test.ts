import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { httpClient } from '@esc/testing';
import { createCertificatesService } from '../src/app';
import { SYSTEM_PRINCIPAL } from '../src/domain/context';
import { completeInterrupted } from '../src/jobs/schedules';
import { bookedAndAccepted, fundRegion, ledgerAccount, startCertificates, type CertificatesHarness } from './harness';

/**
 * Issue 17: the network between certificates and the ledger, delayed and then cut while providers
 * record acts. A small TCP proxy stands between them. Whatever the timing, every act ends held (its
 * money held in the ledger) or refused, or waits for the recovery job as `authorising` — and after
 * the job, each certificate's pending debits in the ledger are exactly its held acts.
 */

type Mode = { kind: 'pass' } | { kind: 'delay'; ms: number } | { kind: 'cut' };

/** Forwards TCP to `target`; `delay` holds every chunk each way, `cut` destroys every connection and refuses new ones. */
async function startProxy(target: URL) {
  let mode: Mode = { kind: 'pass' };
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    if (mode.kind === 'cut') return void client.destroy();
    const upstream = net.connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      open.add(socket);
      socket.on('close', () => open.delete(socket));
      socket.on('error', () => undefined);
    }
    const relay = (from: net.Socket, to: net.Socket) =>
      from.on('data', (chunk) => {
        const wait = mode.kind === 'delay' ? mode.ms : 0;
        if (wait) setTimeout(() => to.write(chunk), wait);
        else to.write(chunk);
      });
    relay(client, upstream);
    relay(upstream, client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    set(next: Mode) {
      mode = next;
      if (next.kind === 'cut') for (const socket of open) socket.destroy();
    },
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

let h: CertificatesHarness;
beforeAll(async () => {
  h = await startCertificates('certificates-network-faults');
}, 60_000);
afterAll(() => h?.stop());

const STAFF = { name: 'Попова Анна Сергеевна', position: 'социальный работник' };
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('When the network to the ledger is delayed and then cut during a load of acts, then no act is lost or doubled: each is held, refused or completed by the recovery job, and the ledger holds exactly the held acts', async () => {
  const budgetProgrammeId = await fundRegion(h);
  const booked = await Promise.all(Array.from({ length: 6 }, () => bookedAndAccepted(h, budgetProgrammeId)));
  const proxy = await startProxy(new URL(h.ledgerUrl));
  const behind = await createCertificatesService({ ...h.service.config, LEDGER_URL: proxy.url, LEDGER_TIMEOUT_MS: 1_000, RUN_MIGRATIONS: false });
  const { url } = await behind.start(0);
  const provider = httpClient(url, await h.gateway.signIn('zabota-staff'));
  const statuses: number[] = [];
  let faultsOver = false;
  try {
    const load = (async () => {
      // Rounds of one act per booking, paced so that a booking's 20 units a month last until the faults
      // are over and one more round has gone through.
      for (let last = false; !last; await sleep(250)) {
        last = faultsOver;
        const answers = await Promise.all(
          booked.map(({ booking, certificate }) =>
            provider.post(`/v1/bookings/${booking.id}/deliveries`, { id: randomUUID(), delivered_on: certificate.general.valid_from, units: 1, staff: STAFF }),
          ),
        );
        statuses.push(...answers.map((a) => a.status));
      }
    })();
    await sleep(300);
    proxy.set({ kind: 'delay', ms: 1_500 });
    await sleep(1_500);
    proxy.set({ kind: 'cut' });
    await sleep(1_500);
    proxy.set({ kind: 'pass' });
    faultsOver = true;
    await load;
  } finally {
    await behind.stop();
    await proxy.close();
  }

  // Every answer is a success or a 503 to retry; never a 500.
  expect(statuses.filter((s) => s !== 201 && s !== 503)).toEqual([]);
  expect(statuses.filter((s) => s === 503).length).toBeGreaterThan(0);

  const db = h.service.orm.em.fork();
  await db.execute(`update certificates.deliveries set recorded_at = recorded_at - interval '1 minute' where status = 'authorising'`);
  while ((await completeInterrupted(h.service.deps, SYSTEM_PRINCIPAL, {})) > 0);
  const acts: Array<{ status: string; amount: string; certificate_id: string }> = await db.execute(
    `select d.status, d.amount::text as amount, b.certificate_id from certificates.deliveries d join certificates.bookings b on b.id = d.booking_id`,
  );
  expect(acts.length).toBe(statuses.length);
  expect(acts.filter((a) => !['held', 'refused'].includes(a.status))).toEqual([]);

  for (const { certificate } of booked) {
    const held = acts.filter((a) => a.certificate_id === certificate.id && a.status === 'held').reduce((sum, a) => sum.add(Money.parse(a.amount)), Money.zero());
    expect((await ledgerAccount(h, certificate.id)).debits_pending).toBe(held.toString());
  }
  expect((await (await h.ledger()).get('/v1/audit/invariants')).body.ok).toBe(true);
}, 120_000);
