import type { Deps } from './context';
import { noSession, type WebSession } from './sessions';
import type { DemoUser } from './demo-users';

export interface OpenSessionInput {
  username: string;
  password: string;
  /** The session the browser had before, if any: it ends when the new one opens. */
  previous?: WebSession;
}

/** Signs a person in and opens a web session with a new id, so an id planted in the browser beforehand is worth nothing. */
export async function openSession(deps: Deps, input: OpenSessionInput): Promise<WebSession> {
  const user = await deps.signInMethod.signIn({ username: input.username, password: input.password });
  if (input.previous) await deps.sessions.close(input.previous.id);
  return deps.sessions.open(user);
}

/** A new token and expiry for a live session; no session is a problem (`no_session`). */
export async function refreshSession(deps: Deps, input: { session?: WebSession }): Promise<WebSession> {
  if (!input.session) throw noSession();
  return deps.sessions.refresh(input.session);
}

export async function closeSession(deps: Deps, input: { session?: WebSession }): Promise<void> {
  if (input.session) await deps.sessions.close(input.session.id);
}

/** Whom the sign-in page may offer; nobody when demo sign-in is off. */
export function offeredUsers(deps: Deps): { enabled: boolean; users: readonly DemoUser[] } {
  return deps.signInMethod.offeredUsers();
}
