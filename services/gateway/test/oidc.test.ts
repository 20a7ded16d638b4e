import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CookieJar, createTestDatabase, freePort, signInThroughProvider, startDevIdentityProvider, type DevIdentityProvider, type TestDatabase } from '../../../packages/testing/src';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createJwtVerifier } from '@esc/service-kit';
import { createGateway, type Gateway } from '../src/app';
import { loadGatewayConfig } from '../src/config';

/**
 * Issue 16: the gateway as an OpenID Connect relying party of the development ЕСИА (a real
 * oidc-provider in its own process), the whole authorization code flow with PKCE over HTTP, and the
 * refusals: another issuer, a replayed code, a wrong or missing state, a forged callback, huge and
 * malformed claims, expired sessions; accounts, grants, sessions and rate limits.
 */

let db: TestDatabase;
let provider: DevIdentityProvider;
let keyDir: string;
let main: { gateway: Gateway; url: string };
let short: { gateway: Gateway; url: string };
let limited: { gateway: Gateway; url: string };
let perAccount: { gateway: Gateway; url: string };
let upstream: Server;
const authorizations: string[] = [];

async function startGateway(port: number, overrides: Parameters<typeof createGateway>[0] = {}) {
  const gateway = await createGateway({
    JWT_PRIVATE_KEY_FILE: path.join(keyDir, 'signing.pem'),
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    OIDC_DISCOVERY_URL: provider.url,
    SESSION_PREFIX: `esc:oidc-test:${randomUUID()}:`,
    RATE_LIMIT_PER_ADDRESS: 1000,
    RATE_LIMIT_PER_ACCOUNT: 1000,
    ...overrides,
  });
  const { url } = await gateway.start(port);
  return { gateway, url };
}

interface SessionBody {
  user: { id: string; name: string; roles: string[]; region_code?: string; snils?: string };
  expires_at: string;
  csrf_token: string;
}

const session = async (base: string, jar: CookieJar) => fetch(`${base}/api/session`, { headers: { cookie: jar.header() } });

async function signedIn(base: string, username: string) {
  const steps = await signInThroughProvider(base, username);
  expect(steps.callback.status).toBe(303);
  const res = await session(base, steps.gatewayJar);
  expect(res.status).toBe(200);
  return { jar: steps.gatewayJar, body: (await res.json()) as SessionBody };
}

async function expectProblem(res: Response, status: number, code: string) {
  const text = await res.text();
  expect({ status: res.status, text }).toMatchObject({ status });
  expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as { code: string; detail: string };
  expect(body.code).toBe(code);
  expect(body.detail).toMatch(/[а-яё]/i);
  return body;
}

beforeAll(async () => {
  keyDir = await mkdtemp(path.join(tmpdir(), 'gateway-oidc-'));
  db = await createTestDatabase('gateway_oidc');
  const ports = [await freePort(), await freePort(), await freePort(), await freePort()];
  provider = await startDevIdentityProvider({ redirectUris: ports.map((p) => `http://127.0.0.1:${p}/api/auth/callback`), testPeople: true });
  upstream = createServer((req, res) => {
    authorizations.push(req.headers.authorization ?? '');
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  main = await startGateway(ports[0]!, { REGISTRY_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}` });
  short = await startGateway(ports[1]!, { SESSION_IDLE_SECONDS: 3, SESSION_ABSOLUTE_SECONDS: 6 });
  limited = await startGateway(ports[2]!, { RATE_LIMIT_PER_ADDRESS: 3 });
  perAccount = await startGateway(ports[3]!, { RATE_LIMIT_PER_ACCOUNT: 2 });
}, 120_000);

afterAll(async () => {
  await main?.gateway.stop();
  await short?.gateway.stop();
  await limited?.gateway.stop();
  await perAccount?.gateway.stop();
  await provider?.stop();
  await new Promise((resolve) => upstream?.close(resolve));
  await db?.drop();
  await rm(keyDir, { recursive: true, force: true });
});

describe('The code flow with PKCE through the development ЕСИА', () => {
  test('When a demo citizen signs in, then the gateway redirects into the app with a session of her seeded account', async () => {
    const login = await fetch(`${main.url}/api/auth/login?return_to=/citizen`, { redirect: 'manual' });
    expect(login.status).toBe(303);
    const authorize = new URL(login.headers.get('location')!);
    expect(authorize.origin).toBe(provider.url);
    expect(authorize.searchParams.get('code_challenge_method')).toBe('S256');
    expect(authorize.searchParams.get('code_challenge')).toMatch(/^[\w-]{43}$/);
    expect(authorize.searchParams.get('state')).toBeTruthy();
    expect(authorize.searchParams.get('nonce')).toBeTruthy();
    expect(login.headers.getSetCookie().join()).toMatch(/esc_login=.*HttpOnly/i);

    const steps = await signInThroughProvider(main.url, 'citizen-ivanova', { returnTo: '/citizen' });
    expect(steps.callback.status).toBe(303);
    expect(steps.callback.headers.get('location')).toBe('/citizen');
    const res = await session(main.url, steps.gatewayJar);
    const body = (await res.json()) as SessionBody;
    expect(body.user).toMatchObject({ id: 'citizen:c80b4081-efb9-4a21-876f-347976278ce6', name: 'Иванова Мария Петровна', roles: ['citizen'], region_code: '73', snils: '11223344595' });
  });

  test('When staff sign in, then their roles and region are the marketplace grants, and a person of a new organisation gets none', async () => {
    expect((await signedIn(main.url, 'caseworker-73')).body.user).toMatchObject({ roles: ['caseworker'], region_code: '73' });
    expect((await signedIn(main.url, 'zabota-admin')).body.user).toMatchObject({ roles: ['provider_admin'], provider_id: '6e9de740-d447-49a2-a48f-a219e95a9be5' });
    const ngo = (await signedIn(main.url, 'ngo-dobro')).body.user;
    expect(ngo).toMatchObject({ name: 'Григорьева Светлана Юрьевна', roles: ['citizen'] });
    expect(ngo.id).toMatch(/^user:/);
  });

  test('When a page calls a service with the session, then the service gets a token that lives 5 minutes', async () => {
    const { jar } = await signedIn(main.url, 'citizen-smirnov');
    expect((await fetch(`${main.url}/api/registry/v1/anything`, { headers: { cookie: jar.header() } })).status).toBe(200);
    const token = authorizations.at(-1)!.replace(/^Bearer /, '');
    const verifier = createJwtVerifier({ jwksUri: `${main.url}/.well-known/jwks.json`, issuer: 'esc-gateway', audience: 'esc-marketplace' });
    const principal = await verifier.verify(token);
    expect(principal).toMatchObject({ subject: 'citizen:6df27a00-b64a-4288-ba7c-7e1d86f7a6e1', roles: ['citizen'], snils: '12345678964' });
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { iat: number; exp: number };
    expect(claims.exp - claims.iat).toBe(300);
  });
});

describe('Refusals, never a 500', () => {
  test('When the code is replayed, then the provider refuses it and the gateway answers sign_in_expired (the login is used once)', async () => {
    const first = await signInThroughProvider(main.url, 'citizen-ivanova');
    expect(first.callback.status).toBe(303);
    const again = await fetch(first.callbackUrl, { redirect: 'manual', headers: { cookie: first.gatewayJar.header() } });
    await expectProblem(again, 401, 'sign_in_expired');
  });

  test('When the same code is sent with a fresh login of the same browser, then the provider refuses it: sign_in_code_rejected', async () => {
    const first = await signInThroughProvider(main.url, 'citizen-ivanova');
    const jar = new CookieJar();
    const login = await fetch(`${main.url}/api/auth/login`, { redirect: 'manual' });
    jar.store(login);
    const state = new URL(login.headers.get('location')!).searchParams.get('state')!;
    const replay = new URL(first.callbackUrl);
    replay.searchParams.set('state', state);
    await expectProblem(await fetch(replay, { redirect: 'manual', headers: { cookie: jar.header() } }), 401, 'sign_in_code_rejected');
  });

  test('When the state is wrong or missing, then sign_in_state_mismatch', async () => {
    const wrong = await signInThroughProvider(main.url, 'citizen-ivanova', {
      beforeCallback: (url: URL) => {
        url.searchParams.set('state', 'not-the-state');
        return url;
      },
    });
    await expectProblem(wrong.callback, 401, 'sign_in_state_mismatch');
    const missing = await signInThroughProvider(main.url, 'citizen-ivanova', {
      beforeCallback: (url: URL) => {
        url.searchParams.delete('state');
        return url;
      },
    });
    await expectProblem(missing.callback, 401, 'sign_in_state_mismatch');
  });

  test('When the answer names another issuer, then sign_in_issuer_mismatch', async () => {
    const steps = await signInThroughProvider(main.url, 'citizen-ivanova', {
      beforeCallback: (url: URL) => {
        url.searchParams.set('iss', 'https://esia.evil.example');
        return url;
      },
    });
    await expectProblem(steps.callback, 401, 'sign_in_issuer_mismatch');
  });

  test('When a callback is forged (no login cookie, made-up code, junk parameters), then a clear problem', async () => {
    await expectProblem(await fetch(`${main.url}/api/auth/callback?code=forged&state=forged`, { redirect: 'manual' }), 401, 'sign_in_expired');
    const jar = new CookieJar();
    const login = await fetch(`${main.url}/api/auth/login`, { redirect: 'manual' });
    jar.store(login);
    const state = new URL(login.headers.get('location')!).searchParams.get('state')!;
    await expectProblem(
      await fetch(`${main.url}/api/auth/callback?code=forged&state=${state}&iss=${encodeURIComponent(provider.url)}`, { redirect: 'manual', headers: { cookie: jar.header() } }),
      401,
      'sign_in_code_rejected',
    );
    await expectProblem(await fetch(`${main.url}/api/auth/callback?code=${'x'.repeat(5000)}`, { redirect: 'manual' }), 400, 'sign_in_callback_invalid');
    await expectProblem(await fetch(`${main.url}/api/auth/callback?admin=1`, { redirect: 'manual' }), 400, 'sign_in_callback_invalid');
  });

  test('When a browser is refused, then it lands on the sign-in page with the code', async () => {
    const res = await fetch(`${main.url}/api/auth/callback?code=forged&state=forged`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe('/sign-in?error=sign_in_expired');
  });

  test('When the claims are huge or malformed, then identity_claims_invalid', async () => {
    const huge = await expectProblem((await signInThroughProvider(main.url, 'test-huge-claims')).callback, 422, 'identity_claims_invalid');
    expect(huge.detail).toMatch(/family_name/);
    const bad = await expectProblem((await signInThroughProvider(main.url, 'test-bad-snils')).callback, 422, 'identity_claims_invalid');
    expect(bad.detail).toMatch(/snils/);
  });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Sessions on the server', () => {
  test('When a session is left idle past its timeout, then it is refused; activity keeps it until the absolute end', async () => {
    const idle = await signedIn(short.url, 'citizen-ivanova');
    await sleep(3300);
    await expectProblem(await session(short.url, idle.jar), 401, 'no_session');

    const busy = await signedIn(short.url, 'citizen-ivanova');
    const started = Date.now();
    for (let i = 0; i < 3; i++) {
      await sleep(1500);
      expect((await session(short.url, busy.jar)).status).toBe(200);
    }
    // Past the absolute end (6 s), though the last request was less than the idle timeout ago.
    await sleep(Math.max(0, started + 6300 - Date.now()));
    await expectProblem(await session(short.url, busy.jar), 401, 'no_session');
  });

  test('When a person lists their sessions and ends the others, then only this one is left', async () => {
    const laptop = await signedIn(main.url, 'finance-73-a');
    const phone = await signedIn(main.url, 'finance-73-a');
    const list = await fetch(`${main.url}/api/session/all`, { headers: { cookie: laptop.jar.header() } });
    const items = ((await list.json()) as { items: Array<{ id: string; current: boolean }> }).items;
    expect(items.length).toBeGreaterThanOrEqual(2);
    expect(items.filter((i) => i.current)).toHaveLength(1);
    expect(items.some((i) => laptop.jar.header().includes(i.id))).toBe(false);

    const ended = await fetch(`${main.url}/api/session/others`, { method: 'DELETE', headers: { cookie: laptop.jar.header(), origin: main.url, 'x-csrf-token': laptop.body.csrf_token } });
    expect(ended.status).toBe(200);
    expect(((await ended.json()) as { ended: number }).ended).toBeGreaterThanOrEqual(1);
    await expectProblem(await session(main.url, phone.jar), 401, 'no_session');
    expect((await session(main.url, laptop.jar)).status).toBe(200);
    const after = ((await (await fetch(`${main.url}/api/session/all`, { headers: { cookie: laptop.jar.header() } })).json()) as { items: unknown[] }).items;
    expect(after).toHaveLength(1);
  });

  test('When the person signs out, then the cookie opens nothing', async () => {
    const { jar, body } = await signedIn(main.url, 'auditor');
    expect((await fetch(`${main.url}/api/session`, { method: 'DELETE', headers: { cookie: jar.header(), origin: main.url, 'x-csrf-token': body.csrf_token } })).status).toBe(204);
    await expectProblem(await session(main.url, jar), 401, 'no_session');
  });
});

describe('Accounts and roles granted inside the marketplace', () => {
  interface AccountBody {
    id: string;
    name: string;
    grants: Array<{ id: string; role: string; region_code?: string; granted_by: string; granted_at: string; revoked_by?: string; revoked_at?: string }>;
  }

  test('When the admin grants and revokes a role, then both are recorded with who and when, and the person is signed out each time', async () => {
    const admin = await signedIn(main.url, 'admin');
    const adminHeaders = { cookie: admin.jar.header(), origin: main.url, 'x-csrf-token': admin.body.csrf_token, 'content-type': 'application/json' };
    const newcomer = await signedIn(main.url, 'ngo-svet');

    const found = await fetch(`${main.url}/api/admin/accounts?search=${encodeURIComponent('Тарасов')}`, { headers: adminHeaders });
    expect(found.status).toBe(200);
    const account = ((await found.json()) as { items: AccountBody[] }).items[0]!;
    expect(account).toMatchObject({ name: 'Тарасов Михаил Ильич' });

    const granted = await fetch(`${main.url}/api/admin/accounts/${account.id}/grants`, { method: 'POST', headers: adminHeaders, body: JSON.stringify({ role: 'caseworker', region_code: '73' }) });
    expect(granted.status).toBe(201);
    const grant = (await granted.json()) as AccountBody['grants'][number];
    expect(grant).toMatchObject({ role: 'caseworker', region_code: '73', granted_by: admin.body.user.id });
    await expectProblem(await session(main.url, newcomer.jar), 401, 'no_session');

    const again = await signedIn(main.url, 'ngo-svet');
    expect(again.body.user).toMatchObject({ roles: expect.arrayContaining(['caseworker']), region_code: '73' });

    await expectProblem(
      await fetch(`${main.url}/api/admin/accounts/${account.id}/grants`, { method: 'POST', headers: adminHeaders, body: JSON.stringify({ role: 'caseworker', region_code: '73' }) }),
      409,
      'role_already_granted',
    );
    await expectProblem(
      await fetch(`${main.url}/api/admin/accounts/${account.id}/grants`, { method: 'POST', headers: adminHeaders, body: JSON.stringify({ role: 'finance', region_code: '77' }) }),
      409,
      'region_conflict',
    );
    await expectProblem(await fetch(`${main.url}/api/admin/accounts/${account.id}/grants`, { method: 'POST', headers: adminHeaders, body: JSON.stringify({ role: 'committee' }) }), 400, 'region_required');

    const revoked = await fetch(`${main.url}/api/admin/accounts/${account.id}/grants/${grant.id}`, { method: 'DELETE', headers: adminHeaders });
    expect(revoked.status).toBe(200);
    expect(await revoked.json()).toMatchObject({ revoked_by: admin.body.user.id, revoked_at: expect.any(String) });
    await expectProblem(await session(main.url, again.jar), 401, 'no_session');

    const history = (await (await fetch(`${main.url}/api/admin/accounts/${account.id}`, { headers: adminHeaders })).json()) as AccountBody;
    expect(history.grants.find((g) => g.id === grant.id)).toMatchObject({ granted_by: admin.body.user.id, revoked_by: admin.body.user.id });
    expect((await signedIn(main.url, 'ngo-svet')).body.user.roles).not.toContain('caseworker');
  });

  test('When someone who is not an admin calls the admin API, then 403; without a session 401', async () => {
    const caseworker = await signedIn(main.url, 'caseworker-73');
    await expectProblem(await fetch(`${main.url}/api/admin/accounts`, { headers: { cookie: caseworker.jar.header() } }), 403, 'forbidden');
    await expectProblem(await fetch(`${main.url}/api/admin/accounts`), 401, 'no_session');
  });
});

describe('Rate limits', () => {
  test('When sign-in is tried too often from one address, then 429 with Retry-After and a Russian message', async () => {
    const answers: Response[] = [];
    for (let i = 0; i < 4; i++) answers.push(await fetch(`${limited.url}/api/auth/login`, { redirect: 'manual' }));
    expect(answers.slice(0, 3).map((r) => r.status)).toEqual([303, 303, 303]);
    const body = await expectProblem(answers[3]!, 429, 'too_many_sign_in_attempts');
    expect(Number(answers[3]!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(body.detail).toMatch(/Слишком много попыток входа/);
  });

  test('When one account signs in too often, then its next callback is refused with 429 while another account still signs in', async () => {
    await signedIn(perAccount.url, 'committee-73');
    await signedIn(perAccount.url, 'committee-73');
    const third = await signInThroughProvider(perAccount.url, 'committee-73');
    await expectProblem(third.callback, 429, 'too_many_sign_in_attempts');
    expect(Number(third.callback.headers.get('retry-after'))).toBeGreaterThan(0);
    await signedIn(perAccount.url, 'caseworker-77');
  });
});

describe('Production start-up', () => {
  test('When production is given a development secret or key, then the configuration is refused naming each', () => {
    const production = { NODE_ENV: 'production', SERVICE_CLIENTS: JSON.stringify([{ client_id: 'certificates', client_secret: 'x'.repeat(32), scopes: ['ledger:read'] }]) };
    expect(() => loadGatewayConfig({ ...production, OIDC_DISCOVERY_URL: 'http://esia.example' })).toThrow(/OIDC_DISCOVERY_URL[\s\S]*OIDC_CLIENT_SECRET[\s\S]*JWT_PRIVATE_KEY_FILE|OIDC_CLIENT_SECRET/);
    const message = (() => {
      try {
        loadGatewayConfig(production);
        return '';
      } catch (err) {
        return (err as Error).message;
      }
    })();
    for (const key of ['OIDC_DISCOVERY_URL', 'OIDC_CLIENT_SECRET', 'JWT_PRIVATE_KEY_FILE']) expect(message).toContain(key);
    expect(() =>
      loadGatewayConfig({ ...production, OIDC_DISCOVERY_URL: 'https://esia.gosuslugi.ru', OIDC_CLIENT_SECRET: 'a-real-secret-from-esia', JWT_PRIVATE_KEY_FILE: '/etc/esc/signing.pem' }),
    ).not.toThrow();
  });
});
