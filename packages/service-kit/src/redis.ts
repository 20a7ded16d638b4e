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

/**
 * Redis without persistence — or a failover to an empty replica — comes back empty: queued events, jobs
 * and job schedulers are gone, and nothing in Redis says so. A key this watch sets tells the Redis it
 * knew from an empty one: on start, on every reconnection and every `everyMs`, when the key is missing
 * `onEmpty` runs (putting back what this process keeps in Redis), then the key is set. A failed
 * `onEmpty` leaves the key unset, so the next look tries again. The first start of a service on a new
 * Redis runs `onEmpty` too, which must therefore be harmless to repeat.
 */
export function watchRedisEmptied(
  connection: Redis,
  key: string,
  onEmpty: () => Promise<void>,
  logger: { warn(obj: object, msg: string): void },
  everyMs = 5000,
): RedisEmptiedWatch {
  let looking: Promise<void> | undefined;
  let stopped = false;
  const look = async () => {
    if ((await connection.exists(key)) === 1) return;
    logger.warn({ key }, 'Redis has lost what this service kept in it (restarted empty or new): putting it back');
    await onEmpty();
    await connection.set(key, new Date().toISOString());
  };
  const check = () => {
    if (stopped) return Promise.resolve();
    looking ??= look()
      .catch((err: unknown) => logger.warn({ err, key }, 'could not check or restore what this service keeps in Redis; the next look retries'))
      .finally(() => (looking = undefined));
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
