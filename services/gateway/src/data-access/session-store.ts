import { AppError, type Logger } from '@esc/service-kit';
import type { Redis } from 'ioredis';
import type { SignedInUser } from '../domain/token-issuer';

/** What Redis holds for one web session; the browser holds only the id. */
export interface StoredSession {
  user: SignedInUser;
  /** The account in the gateway's database; absent for the development password sign-in without one. */
  accountId?: string;
  accessToken: string;
  accessTokenExpiresAt: string;
  csrfToken: string;
  createdAt: string;
  lastSeenAt: string;
  /** The absolute end: no activity keeps the session past it. */
  endsAt: string;
  /** min(lastSeenAt + idle timeout, endsAt). */
  expiresAt: string;
  userAgent?: string;
  address?: string;
}

/** A sign-in under way: what the callback needs to finish it (RFC 7636 verifier, state, nonce). */
export interface LoginTransaction {
  state: string;
  nonce: string;
  codeVerifier: string;
  returnTo: string;
  redirectUri: string;
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

  /** Writes the session to expire with it; `onlyIfPresent` keeps a refresh from reviving a session signed out or revoked meanwhile. */
  async put(id: string, session: StoredSession, options: { onlyIfPresent?: boolean } = {}): Promise<boolean> {
    const key = this.key(id);
    // To the millisecond: with short timeouts a whole second either way would be a large part of them.
    const expireAt = Date.parse(session.expiresAt);
    const value = JSON.stringify(session);
    const multi = this.redis.multi();
    if (options.onlyIfPresent) multi.set(key, value, 'PXAT', expireAt, 'XX');
    else multi.set(key, value, 'PXAT', expireAt);
    if (session.accountId) {
      // The account's index lives as long as its longest session: NX sets it the first time, GT extends it.
      const endsAt = Math.ceil(Date.parse(session.endsAt) / 1000);
      multi.sadd(this.accountKey(session.accountId), id);
      multi.expireat(this.accountKey(session.accountId), endsAt, 'NX');
      multi.expireat(this.accountKey(session.accountId), endsAt, 'GT');
    }
    const results = await multi.exec().catch(this.unavailable);
    return results?.[0]?.[1] === 'OK';
  }

  async delete(id: string, accountId?: string): Promise<void> {
    const multi = this.redis.multi().del(this.key(id));
    if (accountId) multi.srem(this.accountKey(accountId), id);
    await multi.exec().catch(this.unavailable);
  }

  /** The ids of an account's sessions (some may have lapsed; the caller reads each). */
  async idsOfAccount(accountId: string): Promise<string[]> {
    return this.redis.smembers(this.accountKey(accountId)).catch(this.unavailable);
  }

  async many(ids: string[]): Promise<Array<StoredSession | undefined>> {
    if (ids.length === 0) return [];
    const texts = await this.redis.mget(ids.map((id) => this.key(id))).catch(this.unavailable);
    return texts.map((text) => (text === null ? undefined : (JSON.parse(text) as StoredSession)));
  }

  async forget(accountId: string, ids: string[]): Promise<void> {
    if (ids.length === 0) return;
    await this.redis.srem(this.accountKey(accountId), ...ids).catch(this.unavailable);
  }

  async putLogin(id: string, login: LoginTransaction, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.loginKey(id), JSON.stringify(login), 'EX', ttlSeconds).catch(this.unavailable);
  }

  /** Reads and deletes at once: a sign-in is finished once at most. */
  async takeLogin(id: string): Promise<LoginTransaction | undefined> {
    const text = await this.redis.getdel(this.loginKey(id)).catch(this.unavailable);
    return text === null ? undefined : (JSON.parse(text) as LoginTransaction);
  }

  private readonly unavailable = (err: unknown): never => {
    this.logger.error({ err }, 'the session store (Redis) failed');
    throw new AppError('unavailable', 'session_store_unavailable', 'Сервис входа временно недоступен. Повторите попытку через минуту.');
  };

  private key(id: string): string {
    return `${this.prefix}${id}`;
  }

  private accountKey(accountId: string): string {
    return `${this.prefix}account:${accountId}`;
  }

  private loginKey(id: string): string {
    return `${this.prefix}login:${id}`;
  }
}
