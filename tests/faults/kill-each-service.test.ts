import { createTestDatabase, type TestDatabase } from '@esc/testing';
import { SERVICES, startMarketplace, type Marketplace } from './marketplace';
import { RedemptionLoad, verifyBooks } from './redemption-load';

/**
 * Issue 17: `kill -9` of each service in turn — gateway, ledger, registry, certificates, settlement,
 * notifications, all real child processes — while providers record acts through the gateway, case
 * workers confirm and dispute them, issue certificates and book. Each comes back on its port; clients send
 * what failed again under the same id. Nothing may be created, lost or doubled: see `verifyBooks`.
 */

let db: TestDatabase;
let m: Marketplace;
beforeAll(async () => {
  db = await createTestDatabase('faults-kill');
  m = await startMarketplace({ databaseUrl: db.url, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
}, 90_000);
afterAll(async () => {
  await m?.stop();
  await db?.drop();
});

test('When each service in turn is killed with SIGKILL during a redemption load, then every act, certificate and payout ends as its client was told and not a kopeck is created or lost', async () => {
  const load = new RedemptionLoad(m);
  await load.prepare(40);
  load.start(4);
  try {
    await load.progress(8);
    for (const name of SERVICES) {
      await m.kill(name);
      await new Promise((r) => setTimeout(r, 500));
      await m.start(name);
      await load.progress(6);
    }
  } finally {
    await load.stop();
  }
  // The faults were felt (requests failed and were sent again), and never as a 500.
  const kinds = load.failureKinds();
  console.log(load.summary());
  expect([...kinds.keys()].filter((kind) => kind.startsWith('500'))).toEqual([]);
  expect([...kinds.values()].reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  await verifyBooks(m, db.url, load);
  console.log(`acts finished by the recovery job: ${load.recovered}; holds without an act voided by the sweep: ${load.orphanHolds}; events all delivered after ${load.eventsWaitedMs} ms`);
}, 240_000);
