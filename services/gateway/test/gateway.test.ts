import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import jwt from 'jsonwebtoken';
import { ConfigError, ROLES, createJwtVerifier, type Principal, type TokenVerifier } from '@esc/service-kit';
import { createGateway, type Gateway } from '../src/app';
import { loadGatewayConfig } from '../src/config';
import { DEMO_PROVIDERS, DEMO_USERS } from '../src/domain/demo-users';

const ISSUER = 'esc-gateway';
const AUDIENCE = 'esc-marketplace';

let keyDir: string;
let keyFile: string;
let gateway: Gateway;
let url: string;
let verifier: TokenVerifier;
let readinessProbedAt = 0;

const verifierFor = (baseUrl: string) => createJwtVerifier({ jwksUri: `${baseUrl}/.well-known/jwks.json`, issuer: ISSUER, audience: AUDIENCE });

async function startGateway(overrides: Parameters<typeof createGateway>[0] = {}) {
  const instance = await createGateway({ JWT_PRIVATE_KEY_FILE: keyFile, LOG_LEVEL: 'silent', ...overrides });
  const started = await instance.start(0);
  return { gateway: instance, url: started.url };
}

interface UserView {
  id: string;
  name: string;
  roles: string[];
  region_code?: string;
  provider_id?: string;
  snils?: string;
}
interface TokenBody {
  access_token: string;
  token_type: string;
  expires_in: number;
  scope?: string;
  user: UserView;
}

const json = async <T>(res: Response): Promise<T> => (await res.json()) as T;

async function postJson(baseUrl: string, route: string, body: unknown) {
  return fetch(`${baseUrl}${route}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

async function postForm(baseUrl: string, route: string, fields: Record<string, string>) {
  return fetch(`${baseUrl}${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
}

async function signIn(username: string, baseUrl = url): Promise<TokenBody> {
  const res = await postJson(baseUrl, '/v1/auth/sign-in', { username, password: 'demo' });
  expect(res.status).toBe(200);
  return json<TokenBody>(res);
}

async function currentKid(baseUrl: string): Promise<string> {
  const jwks = (await (await fetch(`${baseUrl}/.well-known/jwks.json`)).json()) as { keys: Array<{ kid: string }> };
  return jwks.keys[0]!.kid;
}

function foreignToken(kid: string, claims: Record<string, unknown> = {}): string {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return jwt.sign({ sub: 'admin:intruder', typ: 'user', roles: ['admin'], ...claims }, privateKey, {
    algorithm: 'RS256',
    keyid: kid,
    issuer: ISSUER,
    audience: AUDIENCE,
    expiresIn: 600,
  });
}

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = (await res.json()) as { status: number; code: string; detail: string; errors?: Array<{ field: string; message: string }> };
  expect(body).toMatchObject({ status, code, type: `urn:esc:problem:${code}` });
  expect(body.detail).toEqual(expect.any(String));
  return body;
}

beforeAll(async () => {
  keyDir = await mkdtemp(path.join(tmpdir(), 'gateway-test-'));
  keyFile = path.join(keyDir, 'keys', 'signing.pem');
  ({ gateway, url } = await startGateway());
  verifier = verifierFor(url);
});

afterAll(async () => {
  await gateway?.stop();
  // service-kit's readiness check leaves a 2 s timeout armed; let it lapse so Jest exits cleanly.
  const lapse = readinessProbedAt + 2100 - Date.now();
  if (lapse > 0) await new Promise((resolve) => setTimeout(resolve, lapse));
  await rm(keyDir, { recursive: true, force: true });
});

describe('Health', () => {
  test('When the gateway runs, then it is live and ready', async () => {
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    readinessProbedAt = Date.now();
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', checks: { signing_key: 'ok' } });
  });
});

describe('Sign-in', () => {
  const expected: Array<[string, string[], string | undefined, string | undefined]> = [
    ['citizen-ivanova', ['citizen'], '73', undefined],
    ['citizen-smirnov', ['citizen'], '73', undefined],
    ['zabota-admin', ['provider_admin'], undefined, DEMO_PROVIDERS.zabota.id],
    ['zabota-staff', ['provider_staff'], undefined, DEMO_PROVIDERS.zabota.id],
    ['rehab-admin', ['provider_admin'], undefined, DEMO_PROVIDERS.rehab.id],
    ['rehab-staff', ['provider_staff'], undefined, DEMO_PROVIDERS.rehab.id],
    ['caseworker-73', ['caseworker'], '73', undefined],
    ['caseworker-77', ['caseworker'], '77', undefined],
    ['committee-73', ['committee'], '73', undefined],
    ['finance-73-a', ['finance'], '73', undefined],
    ['finance-73-b', ['finance'], '73', undefined],
    ['auditor', ['auditor'], undefined, undefined],
    ['admin', ['admin'], undefined, undefined],
  ];

  test.each(expected)('When %s signs in, then the JWKS-verified token carries roles %j, region %s and provider %s', async (username, roles, region, provider) => {
    const res = await postJson(url, '/v1/auth/sign-in', { username, password: 'demo' });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await json<TokenBody>(res);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, user: { roles } });
    expect(body.user.region_code).toBe(region);
    expect(body.user.provider_id).toBe(provider);
    expect(body.user.name).toMatch(/^[А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+ [А-ЯЁ][а-яё]+$/);

    const principal: Principal = await verifier.verify(body.access_token);
    expect(principal).toMatchObject({ subject: body.user.id, kind: 'user', roles, scopes: [], regionCode: region, providerId: provider });
    expect(principal.expiresAt).toBeGreaterThan(Date.now() + 3500_000);
    expect(principal.snils).toBe(roles.includes('citizen') ? body.user.snils : undefined);
    if (roles.includes('citizen')) expect(body.user.snils).toMatch(/^\d{11}$/);

    const decoded = jwt.decode(body.access_token, { complete: true })!;
    expect(decoded.header).toMatchObject({ alg: 'RS256', kid: await currentKid(url) });
    expect(decoded.payload).toMatchObject({ iss: ISSUER, aud: AUDIENCE, typ: 'user', name: body.user.name, jti: expect.any(String) });
  });

  test('When the demo users are listed, then every role has someone to sign in as', async () => {
    const res = await fetch(`${url}/v1/auth/demo-users`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { items: Array<{ username: string; roles: string[] }> };
    expect(body.items.map((u) => u.username).sort()).toEqual(expected.map(([username]) => username).sort());
    expect(new Set(body.items.flatMap((u) => u.roles))).toEqual(new Set(ROLES));
  });

  test('When the two citizens sign in, then each gets a distinct citizen subject that is the same on every sign-in', async () => {
    const first = await signIn('citizen-ivanova');
    const second = await signIn('citizen-smirnov');
    const again = await signIn('citizen-ivanova');
    expect(first.user.id).toMatch(/^citizen:[0-9a-f-]{36}$/);
    expect(second.user.id).toMatch(/^citizen:[0-9a-f-]{36}$/);
    expect(first.user.id).not.toBe(second.user.id);
    expect(again.user.id).toBe(first.user.id);
    expect(new Set(DEMO_USERS.map((u) => u.id)).size).toBe(DEMO_USERS.length);
  });

  test('When the username differs only in case and spaces, then sign-in still succeeds', async () => {
    const res = await postJson(url, '/v1/auth/sign-in', { username: '  Auditor ', password: 'demo' });
    expect(res.status).toBe(200);
  });

  test('When the password is wrong, then the answer is a 401 problem in Russian', async () => {
    const res = await postJson(url, '/v1/auth/sign-in', { username: 'admin', password: 'wrong' });
    const problem = await expectProblem(res, 401, 'invalid_credentials');
    expect(problem.detail).toBe('Неверное имя пользователя или пароль.');
  });

  test('When the username is unknown, then the answer is the same as for a wrong password', async () => {
    const res = await postJson(url, '/v1/auth/sign-in', { username: 'nobody', password: 'demo' });
    const problem = await expectProblem(res, 401, 'invalid_credentials');
    expect(problem.detail).toBe('Неверное имя пользователя или пароль.');
  });

  test('When the body is not valid JSON, then the answer is 400 malformed_json', async () => {
    const res = await fetch(`${url}/v1/auth/sign-in`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"username": "admin",' });
    await expectProblem(res, 400, 'malformed_json');
  });

  test('When fields are missing, then the answer is 400 validation_failed listing each of them', async () => {
    const res = await postJson(url, '/v1/auth/sign-in', {});
    const problem = await expectProblem(res, 400, 'validation_failed');
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(['password', 'username']);
  });

  test('When sign-in is sent as a form, then it is refused as not JSON', async () => {
    const res = await postForm(url, '/v1/auth/sign-in', { username: 'admin', password: 'demo' });
    await expectProblem(res, 415, 'unsupported_media_type');
  });

  test('When demo sign-in is disabled, then sign-in and the demo user list answer 403 demo_sign_in_disabled', async () => {
    const closed = await startGateway({ DEMO_SIGN_IN: false });
    try {
      await expectProblem(await postJson(closed.url, '/v1/auth/sign-in', { username: 'admin', password: 'demo' }), 403, 'demo_sign_in_disabled');
      await expectProblem(await fetch(`${closed.url}/v1/auth/demo-users`), 403, 'demo_sign_in_disabled');
    } finally {
      await closed.gateway.stop();
    }
  });

  test('When a custom demo password is configured, then only that password signs in', async () => {
    const custom = await startGateway({ DEMO_PASSWORD: 'другой-пароль' });
    try {
      await expectProblem(await postJson(custom.url, '/v1/auth/sign-in', { username: 'admin', password: 'demo' }), 401, 'invalid_credentials');
      const res = await postJson(custom.url, '/v1/auth/sign-in', { username: 'admin', password: 'другой-пароль' });
      expect(res.status).toBe(200);
    } finally {
      await custom.gateway.stop();
    }
  });
});

describe('Service tokens', () => {
  const defaults: Array<[string, string]> = [
    ['certificates', 'ledger:read ledger:write registry:read'],
    ['settlement', 'ledger:read ledger:write registry:read'],
    ['registry', 'ledger:read'],
    ['ledger-jobs', 'ledger:write ledger:read'],
    ['bench', 'ledger:read ledger:write'],
    ['audit-tool', 'ledger:read'],
  ];

  test.each(defaults)('When %s asks with JSON and no scope, then it gets all its scopes (%s)', async (clientId, scopes) => {
    const res = await postJson(url, '/v1/auth/service-token', { client_id: clientId, client_secret: `dev-secret-${clientId}` });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = await json<TokenBody>(res);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: scopes });
    const principal = await verifier.verify(body.access_token);
    expect(principal).toMatchObject({ subject: `service:${clientId}`, kind: 'service', roles: [], scopes: scopes.split(' ') });
  });

  test('When a client asks with an RFC 6749 form for one scope, then the token carries only that scope', async () => {
    const res = await postForm(url, '/v1/auth/service-token', {
      grant_type: 'client_credentials',
      client_id: 'certificates',
      client_secret: 'dev-secret-certificates',
      scope: 'registry:read ledger:read',
    });
    expect(res.status).toBe(200);
    const body = await json<TokenBody>(res);
    expect(body.scope).toBe('registry:read ledger:read');
    const principal = await verifier.verify(body.access_token);
    expect(principal).toMatchObject({ kind: 'service', scopes: ['registry:read', 'ledger:read'] });
  });

  test('When a form request has no grant_type, then the answer is 400 naming grant_type', async () => {
    const res = await postForm(url, '/v1/auth/service-token', { client_id: 'bench', client_secret: 'dev-secret-bench' });
    const problem = await expectProblem(res, 400, 'validation_failed');
    expect(problem.errors?.map((e) => e.field)).toEqual(['grant_type']);
  });

  test('When a form request names another grant type, then the answer is 400', async () => {
    const res = await postForm(url, '/v1/auth/service-token', { grant_type: 'password', client_id: 'bench', client_secret: 'dev-secret-bench' });
    await expectProblem(res, 400, 'validation_failed');
  });

  test('When the client secret is wrong, then the answer is 401 invalid_client', async () => {
    await expectProblem(await postJson(url, '/v1/auth/service-token', { client_id: 'bench', client_secret: 'dev-secret-certificates' }), 401, 'invalid_client');
    await expectProblem(await postJson(url, '/v1/auth/service-token', { client_id: 'nobody', client_secret: 'dev-secret-nobody' }), 401, 'invalid_client');
  });

  test('When a client asks for a scope it was not granted, then the answer is 403 scope_not_allowed naming the scope', async () => {
    const res = await postForm(url, '/v1/auth/service-token', {
      grant_type: 'client_credentials',
      client_id: 'audit-tool',
      client_secret: 'dev-secret-audit-tool',
      scope: 'ledger:read ledger:write',
    });
    const problem = await expectProblem(res, 403, 'scope_not_allowed');
    expect(problem.detail).toContain('ledger:write');
    expect(problem).toMatchObject({ scopes: ['ledger:write'] });
  });

  test('When client_id or client_secret is missing, then the answer is 400 listing them', async () => {
    const problem = await expectProblem(await postJson(url, '/v1/auth/service-token', { scope: 'ledger:read' }), 400, 'validation_failed');
    expect(problem.errors?.map((e) => e.field).sort()).toEqual(['client_id', 'client_secret']);
  });

  test('When SERVICE_CLIENTS is configured, then it replaces the dev clients', async () => {
    const { SERVICE_CLIENTS } = loadGatewayConfig({
      SERVICE_CLIENTS: JSON.stringify([{ client_id: 'reports', client_secret: 'a-long-enough-secret', scopes: ['ledger:read'] }]),
    });
    const custom = await startGateway({ SERVICE_CLIENTS });
    try {
      const res = await postJson(custom.url, '/v1/auth/service-token', { client_id: 'reports', client_secret: 'a-long-enough-secret' });
      expect(res.status).toBe(200);
      expect((await json<TokenBody>(res)).scope).toBe('ledger:read');
      await expectProblem(await postJson(custom.url, '/v1/auth/service-token', { client_id: 'bench', client_secret: 'dev-secret-bench' }), 401, 'invalid_client');
    } finally {
      await custom.gateway.stop();
    }
  });
});

describe('Signing keys and JWKS', () => {
  test('When the JWKS is fetched, then it publishes the RS256 public key under its RFC 7638 thumbprint, cacheable for 5 minutes', async () => {
    const res = await fetch(`${url}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toContain('max-age=300');
    const { keys } = (await res.json()) as { keys: Array<Record<string, string>> };
    expect(keys).toHaveLength(1);
    const key = keys[0]!;
    expect(key).toEqual({ kty: 'RSA', n: expect.any(String), e: 'AQAB', kid: expect.any(String), alg: 'RS256', use: 'sig' });
    const thumbprint = createHash('sha256').update(`{"e":"${key.e}","kty":"RSA","n":"${key.n}"}`).digest('base64url');
    expect(key.kid).toBe(thumbprint);
  });

  test('When the key file exists, then a restarted gateway keeps the same kid and accepts tokens issued before the restart', async () => {
    const mode = (await stat(keyFile)).mode & 0o777;
    expect(mode).toBe(0o600);
    const before = await currentKid(url);
    const token = (await signIn('caseworker-73')).access_token;

    const restarted = await startGateway();
    try {
      expect(await currentKid(restarted.url)).toBe(before);
      const principal = await verifierFor(restarted.url).verify(token);
      expect(principal).toMatchObject({ roles: ['caseworker'], regionCode: '73' });
    } finally {
      await restarted.gateway.stop();
    }
  });

  test('When the key file is elsewhere, then a new key with another kid is generated', async () => {
    const other = await startGateway({ JWT_PRIVATE_KEY_FILE: path.join(keyDir, 'other', 'signing.pem') });
    try {
      expect(await currentKid(other.url)).not.toBe(await currentKid(url));
    } finally {
      await other.gateway.stop();
    }
  });

  test('When the key file holds a non-RSA key, then the gateway refuses to start', async () => {
    const file = path.join(keyDir, 'ec.pem');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await writeFile(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await expect(createGateway({ JWT_PRIVATE_KEY_FILE: file, LOG_LEVEL: 'silent' })).rejects.toThrow(/RSA/);
  });

  test('When a token is signed by a key the gateway does not publish, then the verifier rejects it', async () => {
    await expect(verifier.verify(foreignToken(randomUUID()))).rejects.toMatchObject({ code: 'invalid_token' });
  });

  test("When a token claims the gateway's kid but is signed by another key, then the verifier rejects it", async () => {
    await expect(verifier.verify(foreignToken(await currentKid(url)))).rejects.toMatchObject({ code: 'invalid_token' });
  });
});

describe('GET /v1/me', () => {
  test('When no token is sent, then the answer is a 401 problem asking for a bearer token', async () => {
    const res = await fetch(`${url}/v1/me`);
    await expectProblem(res, 401, 'unauthenticated');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  test('When a forged token is sent, then the answer is 401 invalid_token', async () => {
    const res = await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${foreignToken(await currentKid(url))}` } });
    await expectProblem(res, 401, 'invalid_token');
  });

  test('When a provider employee sends their token, then they see their own principal', async () => {
    const { access_token, user } = await signIn('rehab-staff');
    const res = await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      subject: user.id,
      kind: 'user',
      name: 'Соколов Игорь Андреевич',
      roles: ['provider_staff'],
      scopes: [],
      provider_id: DEMO_PROVIDERS.rehab.id,
      expires_at: expect.any(String),
    });
  });

  test('When a service sends its token, then it is seen as a service with its scopes', async () => {
    const tokenRes = await postJson(url, '/v1/auth/service-token', { client_id: 'registry', client_secret: 'dev-secret-registry' });
    const { access_token } = await json<TokenBody>(tokenRes);
    const res = await fetch(`${url}/v1/me`, { headers: { authorization: `Bearer ${access_token}` } });
    expect(await res.json()).toMatchObject({ subject: 'service:registry', kind: 'service', roles: [], scopes: ['ledger:read'] });
  });
});

describe('Configuration', () => {
  test('When nothing is set, then the documented defaults apply', () => {
    const config = loadGatewayConfig({});
    expect(config).toMatchObject({ PORT: 4000, JWT_ISSUER: ISSUER, JWT_AUDIENCE: AUDIENCE, TOKEN_TTL_SECONDS: 3600, DEMO_SIGN_IN: true, DEMO_PASSWORD: 'demo' });
    expect(config.JWT_PRIVATE_KEY_FILE).toMatch(/infra\/\.keys\/gateway-signing\.pem$/);
    expect(config.SERVICE_CLIENTS.map((c) => c.clientId)).toEqual(['certificates', 'settlement', 'life-events-source', 'registry', 'ledger-jobs', 'bench', 'audit-tool', 'prometheus']);
  });

  test('When NODE_ENV is production without SERVICE_CLIENTS, then start-up fails naming the key', () => {
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadGatewayConfig({ NODE_ENV: 'production' })).toThrow(/SERVICE_CLIENTS/);
  });

  test('When NODE_ENV is production with service clients, then demo sign-in is off by default', () => {
    const config = loadGatewayConfig({
      NODE_ENV: 'production',
      SERVICE_CLIENTS: JSON.stringify([{ client_id: 'bench', client_secret: 'a-long-enough-secret', scopes: ['ledger:read'] }]),
      OIDC_DISCOVERY_URL: 'https://esia.gosuslugi.ru',
      OIDC_CLIENT_SECRET: 'the-secret-esia-issued',
      JWT_PRIVATE_KEY_FILE: '/etc/esc/gateway-signing.pem',
    });
    expect(config.DEMO_SIGN_IN).toBe(false);
  });

  test('When several keys are bad, then the error lists every one of them', () => {
    let error: unknown;
    try {
      loadGatewayConfig({ PORT: 'eighty', TOKEN_TTL_SECONDS: '5', DEMO_SIGN_IN: 'maybe', SERVICE_CLIENTS: '{not json' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const key of ['PORT', 'TOKEN_TTL_SECONDS', 'DEMO_SIGN_IN', 'SERVICE_CLIENTS']) expect(problems).toContain(key);
  });
});
