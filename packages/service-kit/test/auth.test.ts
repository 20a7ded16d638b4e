import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import { httpClient, type HttpClient } from '@esc/testing/src/http';
import express, { Router } from 'express';
import jwt from 'jsonwebtoken';
import {
  AppError,
  authenticate,
  closeHttpServer,
  createHttpApp,
  createJwtVerifier,
  createLocalJwtVerifier,
  listen,
  requireAccess,
  toPrincipal,
  type TokenVerifier,
} from '../src';
import { silentLogger } from './helpers';

const ISSUER = 'esc-gateway-test';
const AUDIENCE = 'esc-marketplace-test';
const KID = 'test-key-1';

const signer = generateKeyPairSync('rsa', { modulusLength: 2048 });
const rogue = generateKeyPairSync('rsa', { modulusLength: 2048 });
const publicPem = signer.publicKey.export({ type: 'spki', format: 'pem' }) as string;

let jwksServer: Server;
let jwksUri: string;
let jwksRequests = 0;
let apiServer: Server;
let api: (token?: string) => HttpClient;

const citizenClaims = {
  sub: 'user-42',
  typ: 'user',
  roles: ['citizen', 'caseworker'],
  scope: 'certificates:read  profile',
  region_code: '73',
  provider_id: 'provider-9',
  name: 'Ivanova Anna',
};

interface SignOptions {
  key?: KeyObject;
  kid?: string | null;
  issuer?: string;
  audience?: string;
  expiresIn?: number;
}

function sign(claims: Record<string, unknown> = citizenClaims, options: SignOptions = {}): string {
  return jwt.sign(claims, options.key ?? signer.privateKey, {
    algorithm: 'RS256',
    ...(options.kid === null ? {} : { keyid: options.kid ?? KID }),
    issuer: options.issuer ?? ISSUER,
    audience: options.audience ?? AUDIENCE,
    ...('exp' in claims ? {} : { expiresIn: options.expiresIn ?? 300 }),
  });
}

const expiredToken = () => {
  const now = Math.floor(Date.now() / 1000);
  return sign({ ...citizenClaims, iat: now - 600, exp: now - 60 });
};

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  const jwksApp = express();
  jwksApp.get('/.well-known/jwks.json', (_req, res) => {
    jwksRequests += 1;
    res.json({ keys: [{ ...signer.publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' }] });
  });
  const jwks = await listen(jwksApp, 0);
  jwksServer = jwks.server;
  jwksUri = `${jwks.url}/.well-known/jwks.json`;

  const verifier = createJwtVerifier({ jwksUri, issuer: ISSUER, audience: AUDIENCE });
  const router = Router();
  router.get('/me', authenticate(verifier), (req, res) => {
    res.json(req.principal);
  });
  router.post('/transfers', authenticate(verifier), requireAccess({ scopes: ['ledger:write'], roles: ['finance'] }), (_req, res) => {
    res.status(201).json({ ok: true });
  });
  const app = createHttpApp({ logger: silentLogger, bodyLimit: '1kb', routers: [router] });
  const listening = await listen(app, 0);
  apiServer = listening.server;
  api = (token) => httpClient(listening.url, token);
});

afterAll(async () => {
  if (apiServer) await closeHttpServer(apiServer);
  if (jwksServer) await closeHttpServer(jwksServer);
});

const verifiers: Array<[string, () => TokenVerifier]> = [
  ['the JWKS verifier', () => createJwtVerifier({ jwksUri, issuer: ISSUER, audience: AUDIENCE })],
  ['the local verifier with a PEM and kid', () => createLocalJwtVerifier({ publicKey: publicPem, issuer: ISSUER, audience: AUDIENCE, kid: KID })],
  ['the local verifier with a KeyObject', () => createLocalJwtVerifier({ publicKey: signer.publicKey, issuer: ISSUER, audience: AUDIENCE })],
];

describe.each(verifiers)('%s', (_label, makeVerifier) => {
  let verifier: TokenVerifier;
  beforeAll(() => {
    verifier = makeVerifier();
  });

  const rejection = (code: string) => expect.objectContaining({ name: 'AppError', kind: 'unauthenticated', code });

  it('When the token is valid, then the principal carries subject, roles, scopes, region, provider and name', async () => {
    const token = sign();
    const { exp } = jwt.decode(token) as { exp: number };
    await expect(verifier.verify(token)).resolves.toEqual({
      subject: 'user-42',
      kind: 'user',
      roles: ['citizen', 'caseworker'],
      scopes: ['certificates:read', 'profile'],
      regionCode: '73',
      providerId: 'provider-9',
      name: 'Ivanova Anna',
      expiresAt: exp * 1000,
    });
  });

  it('When the token is a service token, then the principal is a service with scopes and no roles', async () => {
    const principal = await verifier.verify(sign({ sub: 'ledger', typ: 'service', scope: 'ledger:write ledger:read' }));
    expect(principal).toMatchObject({ subject: 'ledger', kind: 'service', roles: [], scopes: ['ledger:write', 'ledger:read'] });
    expect(principal.name).toBeUndefined();
    expect(principal.regionCode).toBeUndefined();
  });

  it('When the same token is verified twice, then both answers agree', async () => {
    const token = sign();
    expect(await verifier.verify(token)).toEqual(await verifier.verify(token));
  });

  it('When the token has expired, then it is rejected with token_expired', async () => {
    await expect(verifier.verify(expiredToken())).rejects.toEqual(rejection('token_expired'));
  });

  it('When the audience is wrong, then it is rejected with invalid_token', async () => {
    await expect(verifier.verify(sign(citizenClaims, { audience: 'another-marketplace' }))).rejects.toEqual(rejection('invalid_token'));
  });

  it('When the issuer is wrong, then it is rejected with invalid_token', async () => {
    await expect(verifier.verify(sign(citizenClaims, { issuer: 'someone-else' }))).rejects.toEqual(rejection('invalid_token'));
  });

  it('When the token names a key id nobody publishes, then it is rejected with invalid_token', async () => {
    await expect(verifier.verify(sign(citizenClaims, { key: rogue.privateKey, kid: 'rogue-key' }))).rejects.toEqual(rejection('invalid_token'));
  });

  it('When the token claims the right key id but was signed by another key, then it is rejected with invalid_token', async () => {
    await expect(verifier.verify(sign(citizenClaims, { key: rogue.privateKey }))).rejects.toEqual(rejection('invalid_token'));
  });

  it('When the token is HS256-signed with the public key as secret, then it is rejected with invalid_token', async () => {
    const forged = jwt.sign(citizenClaims, publicPem, { algorithm: 'HS256', keyid: KID, issuer: ISSUER, audience: AUDIENCE, expiresIn: 300 });
    await expect(verifier.verify(forged)).rejects.toEqual(rejection('invalid_token'));
  });

  it('When the token is unsigned (alg none), then it is rejected with invalid_token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const unsigned = `${base64url({ alg: 'none', typ: 'JWT', kid: KID })}.${base64url({ ...citizenClaims, iss: ISSUER, aud: AUDIENCE, exp: now + 300 })}.`;
    await expect(verifier.verify(unsigned)).rejects.toEqual(rejection('invalid_token'));
  });

  it('When the bearer value is not a JWT, then it is rejected with invalid_token', async () => {
    await expect(verifier.verify('not-a-jwt')).rejects.toEqual(rejection('invalid_token'));
  });
});

describe('local verifier', () => {
  it('When it is given a kid and the token names another, then it is rejected even though the signature is good', async () => {
    const verifier = createLocalJwtVerifier({ publicKey: publicPem, issuer: ISSUER, audience: AUDIENCE, kid: KID });
    await expect(verifier.verify(sign(citizenClaims, { kid: 'previous-key' }))).rejects.toMatchObject({ code: 'invalid_token' });
    await expect(verifier.verify(sign(citizenClaims, { kid: null }))).resolves.toMatchObject({ subject: 'user-42' });
  });

  it('When it is given the private key, then it verifies with its public half', async () => {
    const verifier = createLocalJwtVerifier({ publicKey: signer.privateKey, issuer: ISSUER, audience: AUDIENCE });
    await expect(verifier.verify(sign())).resolves.toMatchObject({ subject: 'user-42', name: 'Ivanova Anna' });
  });

  it('When it verifies tokens, then it never fetches a JWKS', async () => {
    const before = jwksRequests;
    const verifier = createLocalJwtVerifier({ publicKey: publicPem, issuer: ISSUER, audience: AUDIENCE });
    await verifier.verify(sign());
    expect(jwksRequests).toBe(before);
  });
});

describe('toPrincipal', () => {
  it('When claims are missing or of the wrong type, then the principal falls back to empty values', () => {
    expect(toPrincipal({ sub: 'x', roles: 'admin', scope: 42, region_code: 73, name: ['a'] } as never)).toEqual({
      subject: 'x',
      kind: 'user',
      roles: [],
      scopes: [],
      regionCode: undefined,
      providerId: undefined,
      name: undefined,
      expiresAt: 0,
    });
  });
});

describe('authenticate and requireAccess over HTTP', () => {
  it('When a valid token is sent, then the route sees the principal', async () => {
    const res = await api(sign()).get('/me');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ subject: 'user-42', roles: ['citizen', 'caseworker'], regionCode: '73', name: 'Ivanova Anna' });
  });

  it('When no token is sent, then the answer is 401 unauthenticated with a Bearer challenge', async () => {
    const res = await api().get('/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('When the Authorization header is not a bearer token, then the answer is 401 invalid_token', async () => {
    const res = await api().call('GET', '/me', undefined, { authorization: 'Basic dXNlcjpwYXNz' });
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('When the token has expired, then the answer is 401 token_expired with a Bearer challenge', async () => {
    const res = await api(expiredToken()).get('/me');
    expect(res.status).toBe(401);
    expect(res.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(res.body).toMatchObject({ code: 'token_expired', status: 401 });
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('When the token names an unknown key, then the answer is 401 invalid_token', async () => {
    const res = await api(sign(citizenClaims, { key: rogue.privateKey, kid: 'rogue-key' })).get('/me');
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('invalid_token');
  });

  it('When the caller lacks every accepted scope and role, then the answer is 403 forbidden naming what is needed', async () => {
    const res = await api(sign({ sub: 'reporting', typ: 'service', scope: 'ledger:read' })).post('/transfers', {});
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: 'forbidden', status: 403, detail: 'This operation needs scope ledger:write or role finance.' });
    expect(res.headers.get('www-authenticate')).toBeNull();
  });

  it('When the caller has the scope, then access is granted', async () => {
    expect((await api(sign({ sub: 'bench', typ: 'service', scope: 'ledger:read ledger:write' })).post('/transfers', {})).status).toBe(201);
  });

  it('When the caller has one of the roles, then access is granted', async () => {
    expect((await api(sign({ ...citizenClaims, roles: ['finance'] })).post('/transfers', {})).status).toBe(201);
  });

  it('When requireAccess runs without authenticate, then it answers 401 rather than letting the request through', () => {
    let passed = false;
    const next = () => {
      passed = true;
    };
    expect(() => requireAccess({ roles: ['admin'] })({ headers: {} } as never, {} as never, next)).toThrow(
      expect.objectContaining({ code: 'unauthenticated' }) as unknown as AppError,
    );
    expect(passed).toBe(false);
  });
});
