import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Role } from '@esc/service-kit';
import type { SigningKey } from './signing-key';

/** The claims service-kit's verifier reads; issuer, audience, times and jti are added here. */
export interface SubjectClaims {
  sub: string;
  typ: 'user' | 'service';
  roles: Role[];
  scope?: string;
  region_code?: string;
  provider_id?: string;
  /** A citizen's SNILS, as ESIA gives it: how the certificates service finds the person's records. */
  snils?: string;
  name?: string;
  client_id?: string;
}

/** A person the gateway signs tokens for, however they signed in. */
export interface SignedInUser {
  /** The token's `sub`; stable across restarts so other services can keep data keyed by it. */
  id: string;
  name: string;
  roles: Role[];
  regionCode?: string;
  providerId?: string;
  /** Citizens only: 11 digits with a valid check number. */
  snils?: string;
}

export const userClaims = (user: SignedInUser): SubjectClaims => ({
  sub: user.id,
  typ: 'user',
  roles: user.roles,
  name: user.name,
  region_code: user.regionCode,
  provider_id: user.providerId,
  snils: user.snils,
});

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
  /** The token's `exp`. */
  expiresAt: Date;
}

export interface TokenIssuerOptions {
  key: SigningKey;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export class TokenIssuer {
  constructor(private readonly options: TokenIssuerOptions) {}

  issue(claims: SubjectClaims, ttlSeconds = this.options.ttlSeconds): IssuedToken {
    const { key, issuer, audience } = this.options;
    const iat = Math.floor(Date.now() / 1000);
    const exp = iat + ttlSeconds;
    const payload = { iss: issuer, aud: audience, iat, exp, jti: randomUUID(), ...claims };
    const accessToken = jwt.sign(payload, key.privateKey, { algorithm: 'RS256', keyid: key.kid });
    return { accessToken, expiresIn: ttlSeconds, expiresAt: new Date(exp * 1000) };
  }
}
