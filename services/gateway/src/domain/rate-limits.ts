/** Attempts counted per client address and per account (issuer and subject); a limit passed is a 429 problem. */
export interface SignInLimiter {
  byAddress(address: string): Promise<void>;
  byAccount(accountKey: string): Promise<void>;
}
