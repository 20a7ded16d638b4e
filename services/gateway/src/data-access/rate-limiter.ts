import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError, type Logger } from '@esc/service-kit';
import type { SignInLimiter } from '../domain/rate-limits';

export interface RedisLimiterOptions {
  redis: Redis;
  prefix: string;
  perAddress: number;
  perAccount: number;
  windowSeconds: number;
  logger: Logger;
}

const tooMany = (retryAfterSeconds: number) =>
  new AppError(
    'too_many_requests',
    'too_many_sign_in_attempts',
    `Слишком много попыток входа. Повторите через ${retryAfterSeconds < 120 ? `${retryAfterSeconds} с` : `${Math.ceil(retryAfterSeconds / 60)} мин`}.`,
    { retry_after_seconds: retryAfterSeconds },
  );

/** rate-limiter-flexible on the gateway's Redis, so every gateway instance counts the same attempts. */
export function redisSignInLimiter(options: RedisLimiterOptions): SignInLimiter {
  const limiter = (name: string, points: number) =>
    new RateLimiterRedis({ storeClient: options.redis, keyPrefix: `${options.prefix}ratelimit:${name}`, points, duration: options.windowSeconds });
  const address = limiter('sign-in-address', options.perAddress);
  const account = limiter('sign-in-account', options.perAccount);

  const consume = async (which: RateLimiterRedis, key: string) => {
    try {
      await which.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) throw tooMany(Math.max(1, Math.ceil(err.msBeforeNext / 1000)));
      options.logger.error({ err }, 'the rate limiter (Redis) failed');
      throw new AppError('unavailable', 'session_store_unavailable', 'Сервис входа временно недоступен. Повторите попытку через минуту.');
    }
  };
  return { byAddress: (key) => consume(address, key), byAccount: (key) => consume(account, key) };
}
