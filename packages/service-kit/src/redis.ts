import { Redis } from 'ioredis';

/** BullMQ workers need maxRetriesPerRequest: null so blocking commands survive reconnects. */
export function createRedis(url: string): Redis {
  return new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true });
}

export type { Redis };

export interface RedisEmptiedWatch {
  /** Looks now (also done on every reconnection and every `everyMs`). */
  check(): Promise<void>;
  stop(): Promise<void>;
}

/** The server's run id: a new one each time a Redis process starts. */
async function runIdOf(connection: Redis): Promise<string> {
  const info = await connection.info('server');
  const runId = /^run_id:(\w+)/m.exec(info)?.[1];
  if (!runId) throw new Error('Redis INFO server has no run_id');
  return runId;
}

/**
 * Redis without persistence — or a failover to an empty replica — comes back empty: queued events, jobs
 * and job schedules are gone, and nothing in Redis says so. This watch keeps a key holding the run id of
 * the Redis process it last restored: on start, on every reconnection and every `everyMs`, when the key
 * does not hold the current run id (a new process, or one whose key is gone), `onEmpty` runs (putting
 * back what this process keeps in Redis), then the key is set to that run id. Keyed by run id rather than
 * by the key alone, a key written just as Redis restarted (the command resent to the new process) cannot
 * pass for a restore. A failed `onEmpty` leaves the key as it was, so the next look tries again. A Redis
 * restarted with its data, and the first start on a new Redis, run `onEmpty` too, which must therefore be
 * harmless to repeat.
 */
export function watchRedisEmptied(
  connection: Redis,
  key: string,
  onEmpty: () => Promise<void>,
  logger: { warn(obj: object, msg: string): void },
  everyMs = 5000,
): RedisEmptiedWatch {
  let looking: Promise<void> | undefined;
  let again = false;
  let stopped = false;
  const look = async () => {
    const runId = await runIdOf(connection);
    if ((await connection.get(key)) === runId) return;
    logger.warn({ key, runId }, 'Redis is a new process (restarted, possibly empty): putting back what this service keeps in it');
    await onEmpty();
    await connection.set(key, runId);
  };
  const check = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    // A reconnection during a look is looked at again afterwards: the look may have seen the old process.
    if (looking) {
      again = true;
      return looking;
    }
    looking = look()
      .catch((err: unknown) => logger.warn({ err, key }, 'could not check or restore what this service keeps in Redis; the next look retries'))
      .finally(() => {
        looking = undefined;
        if (again) {
          again = false;
          void check();
        }
      });
    return looking;
  };
  const onReady = () => void check();
  connection.on('ready', onReady);
  const timer = setInterval(onReady, everyMs);
  timer.unref();
  void check();
  return {
    check,
    async stop() {
      stopped = true;
      clearInterval(timer);
      connection.off('ready', onReady);
      // A look waiting for a Redis that is down must not hold up shutdown.
      await Promise.race([looking, new Promise((resolve) => setTimeout(resolve, 3000).unref())]);
    },
  };
}
