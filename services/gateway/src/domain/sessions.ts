import { createHash, randomBytes } from 'node:crypto';
import { AppError } from '@esc/service-kit';
import type { LoginTransaction, RedisSessionStore, StoredSession } from '../data-access/session-store';
import { userClaims, type SignedInUser, type TokenIssuer } from './token-issuer';

/** 256 random bits, base64url: what the `esc_session` cookie carries. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
/** A token with less than this left is minted again before it goes to a service. */
const TOKEN_RENEW_MS = 60_000;

export const randomToken = () => randomBytes(32).toString('base64url');

export const noSession = () => new AppError('unauthenticated', 'no_session', 'Вы не вошли в систему или сеанс истёк. Войдите снова.');

export interface WebSession extends StoredSession {
  id: string;
}

/** How a session is shown in its owner's list: never its id (the cookie), only a handle derived from it. */
export const sessionHandle = (id: string) => createHash('sha256').update(id).digest('base64url').slice(0, 22);

export interface SessionServiceOptions {
  store: RedisSessionStore;
  issuer: TokenIssuer;
  /** Ends after this long without a request. */
  idleSeconds: number;
  /** Ends this long after sign-in whatever happens. */
  absoluteSeconds: number;
  /** The lifetime of the tokens the session sends to the services. */
  tokenTtlSeconds: number;
  /** The person as they are now (roles may have changed); undefined ends the session. */
  currentUser?: (accountId: string) => Promise<SignedInUser | undefined>;
}

export interface OpenSessionInput {
  user: SignedInUser;
  accountId?: string;
  userAgent?: string;
  address?: string;
}

/** Web sessions of the SPA: the token stays on the server, the browser gets an opaque id. */
export class SessionService {
  constructor(private readonly options: SessionServiceOptions) {}

  /** Set once the accounts database is open: a re-minted token then carries the person's current roles. */
  set currentUser(lookup: SessionServiceOptions['currentUser']) {
    this.options.currentUser = lookup;
  }

  async open(input: OpenSessionInput): Promise<WebSession> {
    const now = Date.now();
    const token = this.issueToken(input.user);
    const endsAt = new Date(now + this.options.absoluteSeconds * 1000).toISOString();
    const session: WebSession = {
      id: randomToken(),
      user: pickUser(input.user),
      ...(input.accountId ? { accountId: input.accountId } : {}),
      accessToken: token.accessToken,
      accessTokenExpiresAt: token.expiresAt.toISOString(),
      csrfToken: randomToken(),
      createdAt: new Date(now).toISOString(),
      lastSeenAt: new Date(now).toISOString(),
      endsAt,
      expiresAt: this.expiryAfter(now, endsAt),
      ...(input.userAgent ? { userAgent: input.userAgent.slice(0, 300) } : {}),
      ...(input.address ? { address: input.address.slice(0, 100) } : {}),
    };
    await this.options.store.put(session.id, stored(session));
    return session;
  }

  /**
   * The live session a cookie names, if any (ids that cannot be ours are not looked up). Looking is
   * activity: the idle timeout starts again, and a token about to run out is minted again.
   */
  async find(id: string | undefined): Promise<WebSession | undefined> {
    if (!id || !SESSION_ID.test(id)) return undefined;
    const session = await this.options.store.get(id);
    if (!session) return undefined;
    const now = Date.now();
    if (Date.parse(session.expiresAt) <= now) {
      await this.options.store.delete(id, session.accountId);
      return undefined;
    }
    return this.touch({ ...session, id }, now);
  }

  /** The same session, its idle timeout started again and a new token (the SPA's "stay signed in"). */
  async refresh(session: WebSession): Promise<WebSession> {
    const renewed = await this.touch(session, Date.now(), true);
    if (!renewed) throw noSession();
    return renewed;
  }

  async close(session: Pick<WebSession, 'id' | 'accountId'>): Promise<void> {
    await this.options.store.delete(session.id, session.accountId);
  }

  /** The account's live sessions, lapsed ones forgotten on the way. */
  async listOfAccount(accountId: string): Promise<WebSession[]> {
    const ids = await this.options.store.idsOfAccount(accountId);
    const sessions = await this.options.store.many(ids);
    const now = Date.now();
    const live: WebSession[] = [];
    const lapsed: string[] = [];
    sessions.forEach((session, i) => {
      if (session && Date.parse(session.expiresAt) > now) live.push({ ...session, id: ids[i]! });
      else lapsed.push(ids[i]!);
    });
    await this.options.store.forget(accountId, lapsed);
    return live.sort((a, b) => b.lastSeenAt.localeCompare(a.lastSeenAt));
  }

  /** Ends every session of the account except `keep`; answers how many ended. */
  async revokeAccount(accountId: string, keep?: string): Promise<number> {
    const ids = (await this.options.store.idsOfAccount(accountId)).filter((id) => id !== keep);
    for (const id of ids) await this.options.store.delete(id, accountId);
    return ids.length;
  }

  /** The same session for the person as they now are (a role they just took on), with a new token. */
  async reissue(session: WebSession, user: SignedInUser): Promise<WebSession> {
    const issued = this.issueToken(user);
    const renewed: WebSession = { ...session, user: pickUser(user), accessToken: issued.accessToken, accessTokenExpiresAt: issued.expiresAt.toISOString() };
    if (!(await this.options.store.put(session.id, stored(renewed), { onlyIfPresent: true }))) throw noSession();
    return renewed;
  }

  async putLogin(id: string, login: LoginTransaction, ttlSeconds: number): Promise<void> {
    await this.options.store.putLogin(id, login, ttlSeconds);
  }

  /** The started sign-in, once: a second callback with the same cookie finds nothing. */
  async takeLogin(id: string): Promise<LoginTransaction | undefined> {
    return this.options.store.takeLogin(id);
  }

  private async touch(session: WebSession, now: number, renewToken = false): Promise<WebSession | undefined> {
    let { user } = session;
    let token = { accessToken: session.accessToken, accessTokenExpiresAt: session.accessTokenExpiresAt };
    if (renewToken || Date.parse(session.accessTokenExpiresAt) - now < TOKEN_RENEW_MS) {
      if (session.accountId && this.options.currentUser) {
        const current = await this.options.currentUser(session.accountId);
        if (!current) {
          await this.close(session);
          return undefined;
        }
        user = pickUser(current);
      }
      const issued = this.issueToken(user);
      token = { accessToken: issued.accessToken, accessTokenExpiresAt: issued.expiresAt.toISOString() };
    }
    const touched: WebSession = { ...session, user, ...token, lastSeenAt: new Date(now).toISOString(), expiresAt: this.expiryAfter(now, session.endsAt) };
    if (!(await this.options.store.put(session.id, stored(touched), { onlyIfPresent: true }))) return undefined;
    return touched;
  }

  private expiryAfter(now: number, endsAt: string): string {
    return new Date(Math.min(now + this.options.idleSeconds * 1000, Date.parse(endsAt))).toISOString();
  }

  private issueToken(user: SignedInUser) {
    return this.options.issuer.issue(userClaims(user), this.options.tokenTtlSeconds);
  }
}

const pickUser = (user: SignedInUser): SignedInUser => ({
  id: user.id,
  name: user.name,
  roles: [...user.roles],
  ...(user.regionCode ? { regionCode: user.regionCode } : {}),
  ...(user.providerId ? { providerId: user.providerId } : {}),
  ...(user.snils ? { snils: user.snils } : {}),
});

const stored = ({ id: _id, ...session }: WebSession): StoredSession => session;
