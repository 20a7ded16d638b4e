import { KeyObject, createPublicKey } from 'node:crypto';
import type { RequestHandler } from 'express';
import jwt, { type JwtPayload } from 'jsonwebtoken';
import { JwksClient } from 'jwks-rsa';
import { LRUCache } from 'lru-cache';
import { AppError } from './errors';

export const ROLES = ['citizen', 'provider_admin', 'provider_staff', 'caseworker', 'committee', 'finance', 'auditor', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a person signed in through the gateway, or another service with scopes. */
export interface Principal {
  subject: string;
  kind: 'user' | 'service';
  roles: Role[];
  scopes: string[];
  regionCode?: string;
  providerId?: string;
  /** A citizen's SNILS (11 digits), from the identity provider. */
  snils?: string;
  /** Display name of a signed-in person, when the token carries one. */
  name?: string;
  expiresAt: number;
}

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      principal?: Principal;
    }
  }
}

export interface JwtVerifierOptions {
  jwksUri: string;
  issuer: string;
  audience: string;
}

export interface LocalJwtVerifierOptions {
  /** The signer's public key: a PEM string/buffer or a KeyObject (a private key works too; its public half is used). */
  publicKey: string | Buffer | KeyObject;
  issuer: string;
  audience: string;
  /** When given, tokens whose header names another key id are rejected, as an unknown kid is by the JWKS verifier. */
  kid?: string;
}

export interface TokenVerifier {
  verify(token: string): Promise<Principal>;
}

const unauthenticated = (detail: string, code = 'unauthenticated') => new AppError('unauthenticated', code, detail);

/** Maps verified claims to a Principal; exported so the gateway describes its own tokens the same way. */
export function toPrincipal(payload: JwtPayload): Principal {
  const roles = Array.isArray(payload.roles) ? (payload.roles as Role[]) : [];
  const scopes = typeof payload.scope === 'string' ? payload.scope.split(' ').filter(Boolean) : [];
  return {
    subject: String(payload.sub ?? ''),
    kind: payload.typ === 'service' ? 'service' : 'user',
    roles,
    scopes,
    regionCode: typeof payload.region_code === 'string' ? payload.region_code : undefined,
    providerId: typeof payload.provider_id === 'string' ? payload.provider_id : undefined,
    snils: typeof payload.snils === 'string' ? payload.snils : undefined,
    name: typeof payload.name === 'string' ? payload.name : undefined,
    expiresAt: (payload.exp ?? 0) * 1000,
  };
}

const unknownKey = () => unauthenticated('The token was signed by a key the gateway does not publish.', 'invalid_token');

/**
 * The checks both verifiers share: decode, find the key for the header's kid, verify signature and
 * claims, and cache the principal until the token expires.
 */
function cachingVerifier(
  resolveKey: (kid: string | undefined) => Promise<string | KeyObject>,
  options: { issuer: string; audience: string },
): TokenVerifier {
  const verified = new LRUCache<string, Principal>({ max: 10_000 });

  return {
    async verify(token) {
      const cached = verified.get(token);
      if (cached && cached.expiresAt > Date.now()) return cached;
      const decoded = jwt.decode(token, { complete: true });
      if (!decoded || typeof decoded.payload === 'string') throw unauthenticated('The bearer token is not a JWT.', 'invalid_token');
      const key = await resolveKey(decoded.header.kid);
      let payload: JwtPayload;
      try {
        payload = jwt.verify(token, key, {
          algorithms: ['RS256', 'EdDSA' as jwt.Algorithm],
          issuer: options.issuer,
          audience: options.audience,
        }) as JwtPayload;
      } catch (err) {
        const expired = err instanceof jwt.TokenExpiredError;
        throw unauthenticated(
          expired ? 'The token has expired; sign in again or request a new service token.' : 'The token signature or claims are invalid.',
          expired ? 'token_expired' : 'invalid_token',
        );
      }
      const principal = toPrincipal(payload);
      verified.set(token, principal);
      return principal;
    },
  };
}

/**
 * Verifies RS256/EdDSA tokens against the gateway's JWKS. Verified tokens are cached until they
 * expire: a service verifies the same service token thousands of times a second.
 */
export function createJwtVerifier(options: JwtVerifierOptions): TokenVerifier {
  const jwks = new JwksClient({ jwksUri: options.jwksUri, cache: true, cacheMaxAge: 10 * 60_000, rateLimit: true, jwksRequestsPerMinute: 30 });
  return cachingVerifier(async (kid) => {
    try {
      return (await jwks.getSigningKey(kid)).getPublicKey();
    } catch {
      throw unknownKey();
    }
  }, options);
}

function toPublicKey(key: string | Buffer | KeyObject): KeyObject {
  if (key instanceof KeyObject) {
    if (key.type === 'public') return key;
    if (key.type === 'private') return createPublicKey(key);
    throw new Error('The local JWT verifier needs an asymmetric key, not a shared secret.');
  }
  return createPublicKey(key);
}

/**
 * Verifies tokens signed by a key this process already holds (the gateway's own), with the same
 * claims, caching and error codes as createJwtVerifier but no HTTP round trip for the JWKS.
 */
export function createLocalJwtVerifier(options: LocalJwtVerifierOptions): TokenVerifier {
  const publicKey = toPublicKey(options.publicKey);
  return cachingVerifier(async (kid) => {
    if (options.kid !== undefined && kid !== undefined && kid !== options.kid) throw unknownKey();
    return publicKey;
  }, options);
}

export function authenticate(verifier: TokenVerifier): RequestHandler {
  return async (req, _res, next) => {
    const header = req.headers.authorization;
    if (!header) throw unauthenticated('Send a bearer token in the Authorization header.');
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw unauthenticated('The Authorization header must be "Bearer <token>".', 'invalid_token');
    req.principal = await verifier.verify(match[1]);
    next();
  };
}

export interface AccessRule {
  /** Any of these roles grants access. */
  roles?: Role[];
  /** Any of these scopes grants access (service tokens). */
  scopes?: string[];
}

export function hasAccess(principal: Principal, rule: AccessRule): boolean {
  return (
    (rule.roles ?? []).some((role) => principal.roles.includes(role)) || (rule.scopes ?? []).some((scope) => principal.scopes.includes(scope))
  );
}

export function requireAccess(rule: AccessRule): RequestHandler {
  return (req, _res, next) => {
    const principal = req.principal;
    if (!principal) throw unauthenticated('Send a bearer token in the Authorization header.');
    if (!hasAccess(principal, rule)) {
      const wanted = [...(rule.scopes ?? []).map((s) => `scope ${s}`), ...(rule.roles ?? []).map((r) => `role ${r}`)].join(' or ');
      throw new AppError('forbidden', 'forbidden', `This operation needs ${wanted}.`);
    }
    next();
  };
}
