import { randomBytes } from 'node:crypto';
import { AppError } from '@esc/service-kit';
import type { RedisSessionStore, StoredSession } from '../data-access/session-store';
import { userClaims, type SignedInUser, type TokenIssuer } from './token-issuer';

/** 256 random bits, base64url: what the `esc_session` cookie carries. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

const randomToken = () => randomBytes(32).toString('base64url');

export const noSession = () => new AppError('unauthenticated', 'no_session', 'Вы не вошли в систему или сеанс истёк. Войдите снова.');

export interface WebSession extends StoredSession {
  id: string;
}

export interface SessionServiceOptions {
  store: RedisSessionStore;
  issuer: TokenIssuer;
  /** The session's lifetime and its token's: the session ends when the token does. */
  ttlSeconds: number;
}

/** Web sessions of the SPA: the token stays on the server, the browser gets an opaque id. */
export class SessionService {
  constructor(private readonly options: SessionServiceOptions) {}

  async open(user: SignedInUser): Promise<WebSession> {
    const token = this.issueToken(user);
    const session: WebSession = {
      id: randomToken(),
      user: pickUser(user),
      accessToken: token.accessToken,
      csrfToken: randomToken(),
      createdAt: new Date().toISOString(),
      expiresAt: token.expiresAt.toISOString(),
    };
    await this.options.store.put(session.id, stored(session));
    return session;
  }

  /** The live session a cookie names, if any; ids that cannot be ours are not looked up. */
  async find(id: string | undefined): Promise<WebSession | undefined> {
    if (!id || !SESSION_ID.test(id)) return undefined;
    const session = await this.options.store.get(id);
    if (!session || Date.parse(session.expiresAt) <= Date.now()) return undefined;
    return { ...session, id };
  }

  /** A new token and a new expiry for the same session id and CSRF token. */
  async refresh(session: WebSession): Promise<WebSession> {
    const token = this.issueToken(session.user);
    const refreshed: WebSession = { ...session, accessToken: token.accessToken, expiresAt: token.expiresAt.toISOString() };
    if (!(await this.options.store.put(session.id, stored(refreshed), { onlyIfPresent: true }))) throw noSession();
    return refreshed;
  }

  async close(id: string): Promise<void> {
    await this.options.store.delete(id);
  }

  private issueToken(user: SignedInUser) {
    return this.options.issuer.issue(userClaims(user), this.options.ttlSeconds);
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
