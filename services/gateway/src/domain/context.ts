import type { AuthService } from './auth';
import type { SignInMethod } from './session-sign-in';
import type { SessionService } from './sessions';

/** What the gateway's use cases need: its token issuing (users and service clients), web sessions, and how people sign in. */
export interface Deps {
  auth: AuthService;
  sessions: SessionService;
  signInMethod: SignInMethod;
}
