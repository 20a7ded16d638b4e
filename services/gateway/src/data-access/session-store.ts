import { AppError, type Logger } from '@esc/service-kit';
import type { Redis } from 'ioredis';
import type { SignedInUser } from '../domain/token-issuer';

/** What Redis holds for one web session; the browser holds only the id. */
export interface StoredSession {
  user: SignedInUser;
  accessToken: string;
  csrfToken: string;
  createdAt: string;
  expiresAt: string;
}

export class RedisSessionStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly logger: Logger,
  ) {}

  async get(id: string): Promise<StoredSession | undefined> {
    const text = await this.redis.get(this.key(id)).catch(this.unavailable);
    return text === null ? undefined : (JSON.parse(text) as StoredSession);
  }

  /** Writes the session to expire with its token; `onlyIfPresent` keeps a refresh from reviving a session signed out meanwhile. */
  async put(id: string, session: StoredSession, options: { onlyIfPresent?: boolean } = {}): Promise<boolean> {
    const key = this.key(id);
    const expireAt = Math.ceil(Date.parse(session.expiresAt) / 1000);
    const value = JSON.stringify(session);
    const writing = options.onlyIfPresent ? this.redis.set(key, value, 'EXAT', expireAt, 'XX') : this.redis.set(key, value, 'EXAT', expireAt);
    const written = await writing.catch(this.unavailable);
    return written === 'OK';
  }

  async delete(id: string): Promise<void> {
    await this.redis.del(this.key(id)).catch(this.unavailable);
  }

  private readonly unavailable = (err: unknown): never => {
    this.logger.error({ err }, 'the session store (Redis) failed');
    throw new AppError('unavailable', 'session_store_unavailable', 'Сервис входа временно недоступен. Повторите попытку через минуту.');
  };

  private key(id: string): string {
    return `${this.prefix}${id}`;
  }
}
