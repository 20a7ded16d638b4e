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

export interface IssuedToken {
  accessToken: string;
  expiresIn: number;
}

export interface TokenIssuerOptions {
  key: SigningKey;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}

export class TokenIssuer {
  constructor(private readonly options: TokenIssuerOptions) {}

  issue(claims: SubjectClaims): IssuedToken {
    const { key, issuer, audience, ttlSeconds } = this.options;
    const iat = Math.floor(Date.now() / 1000);
    const payload = { iss: issuer, aud: audience, iat, exp: iat + ttlSeconds, jti: randomUUID(), ...claims };
    const accessToken = jwt.sign(payload, key.privateKey, { algorithm: 'RS256', keyid: key.kid });
    return { accessToken, expiresIn: ttlSeconds };
  }
}
