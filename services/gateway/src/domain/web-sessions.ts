import { AppError } from '@esc/service-kit';
import { accountForIdentity, currentUser, signedInUser } from './accounts';
import { activeGrants, findAccountBySubject } from '../data-access/account-store';
import type { AccountsDeps, Deps } from './context';
import type { DemoUser } from './demo-users';
import { readIdentityClaims } from './identity-claims';
import { noSession, randomToken, sessionHandle, type WebSession } from './sessions';

export interface ClientInfo {
  address?: string;
  userAgent?: string;
}

export interface OpenSessionInput extends ClientInfo {
  username: string;
  password: string;
  /** The session the browser had before, if any: it ends when the new one opens. */
  previous?: WebSession;
}

/**
 * The development password sign-in (DEMO_SIGN_IN): opens a web session with a new id, so an id planted
 * in the browser beforehand is worth nothing. With accounts on, the session is the seeded account's,
 * so role changes and "end the other sessions" reach it as they reach a sign-in through the provider.
 */
export async function openSession(deps: Deps, input: OpenSessionInput): Promise<WebSession> {
  let user = await deps.signInMethod.signIn({ username: input.username, password: input.password });
  let accountId: string | undefined;
  if (deps.accounts) {
    const em = deps.accounts.em();
    const account = await findAccountBySubject(em, user.id);
    if (account) {
      accountId = account.id;
      user = signedInUser(account, await activeGrants(em, account.id));
    }
  }
  if (input.previous) await deps.sessions.close(input.previous);
  return deps.sessions.open({ user, accountId, address: input.address, userAgent: input.userAgent });
}

const accountsOf = (deps: Deps): AccountsDeps => {
  if (!deps.accounts) {
    throw new AppError('unavailable', 'sign_in_not_configured', 'Вход через Госуслуги на этом стенде не настроен (OIDC_DISCOVERY_URL). Обратитесь к администратору.');
  }
  return deps.accounts;
};

/** Only a path inside the web app: a return address elsewhere would make the sign-in an open redirect. */
export function safeReturnTo(value: string | undefined): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\') || value.length > 500 || [...value].some((c) => c.charCodeAt(0) < 0x20)) return '/';
  return value;
}

/** Starts a sign-in at the identity provider; the login id goes into a short-lived cookie that binds the callback to this browser. */
export async function beginSignIn(deps: Deps, input: ClientInfo & { redirectUri: string; returnTo?: string }): Promise<{ loginId: string; url: string }> {
  const accounts = accountsOf(deps);
  await accounts.limiter.byAddress(input.address ?? 'unknown');
  const { url, login } = await accounts.identity.begin(input.redirectUri, safeReturnTo(input.returnTo));
  const loginId = randomToken();
  await deps.sessions.putLogin(loginId, login, accounts.loginTtlSeconds);
  return { loginId, url };
}

export interface FinishSignInInput extends ClientInfo {
  /** The login cookie set when the sign-in began. */
  loginId?: string;
  /** The callback's query string as received. */
  query: URLSearchParams;
  previous?: WebSession;
}

/**
 * The identity provider's answer: the browser must be the one that began the sign-in (login cookie),
 * the state must match, the code is redeemed once with the PKCE verifier and the ID token checked;
 * then the person's account (never their roles from the provider) and a new web session.
 */
export async function finishSignIn(deps: Deps, input: FinishSignInInput): Promise<{ session: WebSession; returnTo: string }> {
  const accounts = accountsOf(deps);
  await accounts.limiter.byAddress(input.address ?? 'unknown');
  const login = input.loginId && /^[A-Za-z0-9_-]{43}$/.test(input.loginId) ? await deps.sessions.takeLogin(input.loginId) : undefined;
  if (!login) {
    throw new AppError('unauthenticated', 'sign_in_expired', 'Вход не был начат в этом браузере или занял слишком много времени. Начните вход заново со страницы входа.');
  }
  const state = input.query.get('state');
  if (!state || state !== login.state) {
    throw new AppError('unauthenticated', 'sign_in_state_mismatch', 'Ответ о входе не относится к начатому входу. Начните вход заново со страницы входа.');
  }
  const callbackUrl = new URL(login.redirectUri);
  callbackUrl.search = input.query.toString();
  const claims = readIdentityClaims(await accounts.identity.finish(callbackUrl, login));
  await accounts.limiter.byAccount(`${claims.issuer} ${claims.subject}`);
  const { account, user } = await accountForIdentity(accounts.em(), claims);
  if (input.previous) await deps.sessions.close(input.previous);
  const session = await deps.sessions.open({ user, accountId: account.id, address: input.address, userAgent: input.userAgent });
  return { session, returnTo: login.returnTo };
}

/** A new token and expiry for a live session; no session is a problem (`no_session`). */
export async function refreshSession(deps: Deps, input: { session?: WebSession }): Promise<WebSession> {
  if (!input.session) throw noSession();
  return deps.sessions.refresh(input.session);
}

export async function closeSession(deps: Deps, input: { session?: WebSession }): Promise<void> {
  if (input.session) await deps.sessions.close(input.session);
}

/** Whom the sign-in page may offer; nobody when demo sign-in is off. */
export function offeredUsers(deps: Deps): { enabled: boolean; users: readonly DemoUser[] } {
  return deps.signInMethod.offeredUsers();
}

export interface SessionListItem {
  handle: string;
  current: boolean;
  session: WebSession;
}

/** The signed-in person's own live sessions, this one marked. */
export async function listOwnSessions(deps: Deps, input: { session?: WebSession }): Promise<SessionListItem[]> {
  if (!input.session) throw noSession();
  const current = input.session;
  if (!current.accountId) return [{ handle: sessionHandle(current.id), current: true, session: current }];
  const all = await deps.sessions.listOfAccount(current.accountId);
  return all.map((session) => ({ handle: sessionHandle(session.id), current: session.id === current.id, session }));
}

/** Ends every other session of the signed-in person; answers how many ended. */
export async function endOtherSessions(deps: Deps, input: { session?: WebSession }): Promise<number> {
  if (!input.session) throw noSession();
  if (!input.session.accountId) return 0;
  return deps.sessions.revokeAccount(input.session.accountId, input.session.id);
}

/** The account's current grants, for a session whose token is minted again. */
export const userOfAccount = (accounts: AccountsDeps) => (accountId: string) => currentUser(accounts.em(), accountId);
