import { spawn, type ChildProcess } from 'node:child_process';
import { Queue } from '@esc/service-kit';
import { createTestDatabase, type TestDatabase } from '@esc/testing';
import { redisPing } from '../../infra/dev/backing-services';
import { exited, freePort, startMarketplace, type Marketplace } from './marketplace';
import { RedemptionLoad, until, verifyBooks } from './redemption-load';

/**
 * Issue 17: a real Redis restart under the redemption load, twice. The test runs a `redis-server` of its
 * own (never the shared one), without persistence, and kills it with SIGKILL: what it held — queued events
 * of the outbox relays, jobs, schedules, the gateway's sessions — is gone when it comes back. The services
 * (real child processes) must recover it all: nothing may be created, lost or doubled (see `verifyBooks`).
 */

let db: TestDatabase;
let port: number;
let redis: ChildProcess;
let m: Marketplace;

async function startRedis(): Promise<void> {
  redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  await until('redis-server to answer', async () => ((await redisPing(`redis://127.0.0.1:${port}`)).ok ? true : undefined), 10_000);
}

beforeAll(async () => {
  db = await createTestDatabase('faults-redis');
  port = await freePort();
  await startRedis();
  m = await startMarketplace({ databaseUrl: db.url, redisUrl: `redis://127.0.0.1:${port}` });
}, 90_000);
afterAll(async () => {
  await m?.stop();
  if (redis) {
    redis.kill('SIGKILL');
    await exited(redis);
  }
  await db?.drop();
});

test('When Redis is killed and restarted empty twice during a redemption load, then every act, certificate, event and payout ends as its client was told and not a kopeck is created or lost', async () => {
  const load = new RedemptionLoad(m);
  await load.prepare(30);
  load.start(4);
  try {
    await load.progress(8);
    // The first time with events waiting in Redis: their consumers (settlement, notifications) are down.
    await m.kill('settlement');
    await m.kill('notifications');
    await load.progress(10);
    for (let i = 0; i < 2; i++) {
      redis.kill('SIGKILL');
      await exited(redis);
      await new Promise((r) => setTimeout(r, 1000));
      await startRedis();
      if (i === 0) await Promise.all([m.start('settlement'), m.start('notifications')]);
      await load.progress(10);
    }
  } finally {
    await load.stop();
  }
  const kinds = load.failureKinds();
  console.log(load.summary());
  expect([...kinds.keys()].filter((kind) => kind.startsWith('500'))).toEqual([]);
  await verifyBooks(m, db.url, load);
  console.log(`acts finished by the recovery job: ${load.recovered}; holds without an act voided by the sweep: ${load.orphanHolds}; events all delivered after ${load.eventsWaitedMs} ms`);
  // The sweeps (lapsed confirmations, interrupted acts and issues, expiry, holds' timeouts) are scheduled again.
  const schedulers = async (queueName: string) => {
    const queue = new Queue(queueName, { connection: { host: '127.0.0.1', port }, prefix: m.queuePrefix });
    try {
      return (await queue.getJobSchedulers()).map((s) => s.key).sort();
    } finally {
      await queue.close();
    }
  };
  await until('the job schedules to be back', async () => ((await schedulers('certificates-jobs')).includes('complete-interrupted') ? true : undefined), 15_000).catch(() => undefined);
  expect(await schedulers('certificates-jobs')).toEqual(['complete-interrupted', 'compute-deficits', 'expire-certificates', 'post-lapsed-confirmations']);
  expect(await schedulers('ledger-jobs')).toEqual(['expire-holds']);
  expect(await schedulers('settlement-jobs')).toEqual(['schedule-runs']);
}, 240_000);
