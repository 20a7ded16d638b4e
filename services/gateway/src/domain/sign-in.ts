import type { Principal } from '@esc/service-kit';
import type { Deps } from './context';
import type { DemoUser } from './demo-users';
import type { IssuedToken } from './token-issuer';

/**
 * The gateway's use cases. Signing in and asking for a service token are what make a principal, so
 * those take only the credentials; describing the caller takes the principal its token proved.
 */

export interface SignInInput {
  username: string;
  password: string;
}

/** A demo user's token, for API clients that hold it themselves (the SPA uses a web session instead). */
export function signIn(deps: Deps, input: SignInInput): { token: IssuedToken; user: DemoUser } {
  return deps.auth.signIn(input.username, input.password);
}

export interface IssueServiceTokenInput {
  clientId: string;
  clientSecret: string;
  /** Space-separated scopes to narrow the token to; all of the client's when absent. */
  scope?: string;
}

/** OAuth 2.0 client credentials: a service's token with the scopes it was granted. */
export function issueServiceToken(deps: Deps, input: IssueServiceTokenInput): { token: IssuedToken; scopes: string[] } {
  return deps.auth.issueServiceToken(input.clientId, input.clientSecret, input.scope);
}

/** The demo users a sign-in form may offer; refused when demo sign-in is off. */
export function listDemoUsers(deps: Deps): readonly DemoUser[] {
  return deps.auth.listDemoUsers();
}

/** The caller as its token describes it, with the person's name when the gateway knows them. */
export function describeCaller(deps: Deps, principal: Principal, _input: Record<string, never> = {}): { principal: Principal; user?: DemoUser } {
  const user = principal.kind === 'user' ? deps.auth.findUser(principal.subject) : undefined;
  return { principal, user };
}
