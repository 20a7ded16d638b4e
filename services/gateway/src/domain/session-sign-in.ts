import type { AuthService } from './auth';
import type { DemoUser } from './demo-users';
import type { SignedInUser } from './token-issuer';

export interface PasswordCredentials {
  username: string;
  password: string;
}

/**
 * The development password sign-in (`DEMO_SIGN_IN`, off in production): tests and API clients open a
 * session for a demo user with it. People sign in through the identity provider (identity-provider.ts,
 * web-sessions.ts `beginSignIn`/`finishSignIn`); sessions, CSRF and the proxy are the same for both.
 */
export interface SignInMethod {
  /** Who the credentials belong to; a problem (`invalid_credentials`, `demo_sign_in_disabled`) when they prove nothing. */
  signIn(credentials: PasswordCredentials): Promise<SignedInUser>;
  /** The people the sign-in page may offer to sign in as; none when demo sign-in is off. */
  offeredUsers(): { enabled: boolean; users: readonly DemoUser[] };
}

export class DemoSignIn implements SignInMethod {
  constructor(private readonly auth: AuthService) {}

  async signIn(credentials: PasswordCredentials): Promise<SignedInUser> {
    return this.auth.authenticateDemoUser(credentials.username, credentials.password);
  }

  offeredUsers() {
    return this.auth.demoSignInEnabled ? { enabled: true, users: this.auth.listDemoUsers() } : { enabled: false, users: [] };
  }
}
