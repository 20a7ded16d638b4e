import type { EntityManager, Mailer } from '@esc/service-kit';
import type { AuthService } from './auth';
import type { IdentityProvider } from './identity-provider';
import type { SignInLimiter } from './rate-limits';
import type { SignInMethod } from './session-sign-in';
import type { ProviderRegistry } from './provider-registry';
import type { SessionService } from './sessions';
import type { TokenIssuer } from './token-issuer';

/** Sign-in through the identity provider and the accounts it opens (absent when OIDC_DISCOVERY_URL is unset). */
export interface AccountsDeps {
  /** A fresh entity manager for one use case. */
  em(): EntityManager;
  identity: IdentityProvider;
  limiter: SignInLimiter;
  /** How long a started sign-in may take before its callback is refused. */
  loginTtlSeconds: number;
}

/** What the gateway's use cases need: its token issuing (users and service clients), web sessions, and how people sign in. */
export interface Deps {
  auth: AuthService;
  sessions: SessionService;
  /** The development password sign-in (DEMO_SIGN_IN), kept for tests and API clients. */
  signInMethod: SignInMethod;
  accounts?: AccountsDeps;
  /** Signs the short token a representative's registration goes to the registry with. */
  issuer: TokenIssuer;
  registry: ProviderRegistry;
  mailer?: Mailer;
  logger?: { warn(obj: object, msg: string): void };
}
