import { randomUUID } from 'node:crypto';
import { createRedis, watchRedisEmptied, type Redis, type RedisEmptiedWatch } from '../src';
import { silentLogger, waitFor } from './helpers';

/**
 * What a service keeps in Redis (job schedules, queued events) is put back when Redis comes back as a new
 * process. Emptied here by deleting or rewriting the watch's key (the shared Redis is never restarted by
 * a test); the real restart is tests/faults/redis-restart.test.ts.
 */

let redis: Redis;
const watches: RedisEmptiedWatch[] = [];
beforeAll(() => {
  redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
});
afterAll(async () => {
  for (const watch of watches) await watch.stop();
  await redis.quit();
});

function watch(key: string, onEmpty: () => Promise<void>) {
  const created = watchRedisEmptied(redis, key, onEmpty, silentLogger, 60_000);
  watches.push(created);
  return created;
}

test('When the watch starts on a Redis without its key, then what it keeps is put back once, and again only when the key is gone or names another Redis process', async () => {
  const key = `kit-emptied-${randomUUID()}`;
  let restored = 0;
  const w = watch(key, async () => void (restored += 1));
  await waitFor('the first restore', async () => restored === 1);
  await w.check();
  await w.check();
  expect(restored).toBe(1);
  expect(await redis.exists(key)).toBe(1);

  await redis.del(key);
  await w.check();
  expect(restored).toBe(2);

  // What a key written as Redis restarted looks like: the run id of a process before this one.
  await redis.set(key, 'an-earlier-redis-process');
  await w.check();
  expect(restored).toBe(3);
  await w.check();
  expect(restored).toBe(3);
  await redis.del(key);
});

test('When putting things back fails, then the key stays unset and the next look tries again', async () => {
  const key = `kit-emptied-${randomUUID()}`;
  let attempts = 0;
  const w = watch(key, async () => {
    attempts += 1;
    if (attempts === 1) throw new Error('Redis went away again');
  });
  await waitFor('the first attempt', async () => attempts === 1);
  expect(await redis.exists(key)).toBe(0);
  await w.check();
  expect(attempts).toBe(2);
  expect(await redis.exists(key)).toBe(1);
  await redis.del(key);
});
