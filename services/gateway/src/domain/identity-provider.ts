import type { LoginTransaction } from '../data-access/session-store';

/** The OpenID provider people sign in at (ЕСИА, or the development one): the relying party's two steps. */
export interface IdentityProvider {
  /** A new sign-in: where to send the browser, and what the callback will need (PKCE verifier, state, nonce). */
  begin(redirectUri: string, returnTo: string): Promise<{ url: string; login: LoginTransaction }>;
  /**
   * Redeems the callback's code with the verifier and checks the ID token (signature, issuer,
   * audience, nonce, expiry); answers its claims. Every refusal is a problem (`sign_in_*`).
   */
  finish(callbackUrl: URL, login: LoginTransaction): Promise<Record<string, unknown>>;
}
