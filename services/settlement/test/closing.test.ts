import { randomUUID } from 'node:crypto';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { closeWithin } from '../src/closing';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

test('When a worker’s job never finishes, then closeWithin gives up after its time, forces the worker closed, and the worker really ends', async () => {
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const name = `closing-${randomUUID()}`;
  const queue = new Queue(name, { connection });
  let started!: () => void;
  const jobStarted = new Promise<void>((resolve) => (started = resolve));
  const workerConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  const worker = new Worker(
    name,
    () => {
      started();
      return new Promise<void>(() => undefined);
    },
    { connection: workerConnection },
  );
  const warnings: string[] = [];
  try {
    await queue.add('stuck', {});
    await jobStarted;
    const began = Date.now();
    await closeWithin(worker, 300, { warn: (msg) => warnings.push(msg) });
    expect(Date.now() - began).toBeLessThan(3_000);
    expect(warnings).toEqual([expect.stringContaining('did not stop within 300 ms')]);
    // A graceful close() that waited for the stuck job would never settle; this one has ended.
    const ended = await Promise.race([worker.closing!.then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 3_000).unref())]);
    expect(ended).toBe(true);
  } finally {
    await queue.obliterate({ force: true });
    await queue.close();
    await connection.quit();
    workerConnection.disconnect();
  }
});
