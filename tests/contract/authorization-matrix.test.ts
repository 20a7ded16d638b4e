import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { CALLERS, ROWS, tokenFor, type Caller } from './authorization-rows';
import { AUDIENCE, ISSUER, startStack, strangerKey, ZABOTA_ID, type Answer, type Fixtures, type Service, type Stack } from './authorization-stack';

/**
 * Issue 17: every operation of the ledger, registry, certificates, settlement and notifications contracts, asked by
 * every role about someone else's object — Иванова's certificate (Zabota's booking, region 73) asked
 * by another citizen, another provider, another region's officers, roles that have no business with
 * it, and service tokens with scopes — is refused with a problem (401/403/404, never 2xx, never 5xx).
 * Public operations answer without a token. A sample of operations per service refuses broken tokens
 * (none, expired, another key, alg none, another audience or issuer) with 401.
 *
 * Each operation of the contracts has exactly one row (authorization-rows.ts): a new endpoint without a row fails the test.
 */

// ---- Token attacks: a GET and a POST of each service, with claims that would otherwise pass ----

interface Attacked {
  service: Service;
  op: string;
  claims: Record<string, unknown>;
}
const ATTACKED: Attacked[] = [
  { service: 'ledger', op: 'GET /v1/accounts/{id}', claims: { typ: 'service', sub: 'service:bench', client_id: 'bench', scope: 'ledger:read ledger:write' } },
  { service: 'ledger', op: 'POST /v1/transfers', claims: { typ: 'service', sub: 'service:bench', client_id: 'bench', scope: 'ledger:read ledger:write' } },
  { service: 'registry', op: 'GET /v1/providers/{id}', claims: { sub: 'admin:x', roles: ['admin'] } },
  { service: 'registry', op: 'POST /v1/rounds', claims: { sub: 'admin:x', roles: ['admin'] } },
  { service: 'certificates', op: 'GET /v1/certificates/{id}', claims: { sub: 'admin:x', roles: ['admin'] } },
  { service: 'certificates', op: 'POST /v1/bookings/{id}/deliveries', claims: { sub: 'provider_staff:x', roles: ['provider_staff'], provider_id: ZABOTA_ID } },
  { service: 'certificates', op: 'POST /v1/deliveries/{id}/confirm', claims: { sub: 'caseworker:x', roles: ['caseworker'], region_code: '73' } },
  { service: 'settlement', op: 'GET /v1/runs/{id}', claims: { sub: 'finance:x', roles: ['finance'], region_code: '73' } },
  { service: 'settlement', op: 'POST /v1/runs', claims: { sub: 'finance:x', roles: ['finance'], region_code: '73' } },
  { service: 'notifications', op: 'GET /v1/notifications', claims: { sub: 'citizen:x', roles: ['citizen'], snils: '11223344595' } },
  { service: 'notifications', op: 'POST /v1/notifications/{id}/read', claims: { sub: 'citizen:x', roles: ['citizen'], snils: '11223344595' } },
];

const now = () => Math.floor(Date.now() / 1000);
const ATTACKS: Array<{ name: string; token: (s: Stack, claims: Record<string, unknown>) => string | undefined }> = [
  { name: 'no token', token: () => undefined },
  { name: 'not a JWT', token: () => 'not-a-token' },
  { name: 'an expired token', token: (s, c) => s.forge({ ...c, iat: now() - 7200, exp: now() - 3600 }) },
  { name: 'a token signed by another key (same kid)', token: (s, c) => s.forge(c, { key: stranger }) },
  { name: 'a token signed by another key (its own kid)', token: (s, c) => s.forge(c, { key: stranger, kid: 'stranger' }) },
  { name: 'alg none', token: (s, c) => s.forge(c, { alg: 'none' }) },
  { name: 'another audience', token: (s, c) => s.forge({ ...c, aud: `${AUDIENCE}-elsewhere` }) },
  { name: 'another issuer', token: (s, c) => s.forge({ ...c, iss: `${ISSUER}-elsewhere` }) },
];
const stranger = strangerKey();

// ---- The stack ----

let stack: Stack;
const tokens = new Map<Caller, string>();

beforeAll(async () => {
  stack = await startStack('authorization_matrix');
  for (const caller of CALLERS) tokens.set(caller, await tokenFor(stack, caller));
}, 180_000);

afterAll(async () => {
  await stack?.stop();
});

async function inBatches<T, R>(items: T[], size: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(work))));
  return out;
}

const isProblem = (a: Answer) => (a.contentType ?? '').startsWith('application/problem+json') && typeof a.body?.code === 'string';
const describe_ = (a: Answer) => `${a.status} ${a.contentType ?? '-'} ${a.text.slice(0, 200)}`;
const fixtureIds = (f: Fixtures) => [f.recipientId, f.assessmentId, f.certificateId, f.bookingId, f.deliveryId, f.runId, f.notificationId];

// ---- The tests ----

test('Every operation of the contracts has exactly one row in the matrix, and every row an operation', () => {
  const operations: string[] = [];
  for (const service of ['ledger', 'registry', 'certificates', 'settlement', 'notifications'] as const) {
    const contract = parse(readFileSync(join(__dirname, '../../openapi', `${service}.yaml`), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
    for (const [path, item] of Object.entries(contract.paths)) {
      for (const method of Object.keys(item)) if (['get', 'post', 'put', 'patch', 'delete'].includes(method)) operations.push(`${service} ${method.toUpperCase()} ${path}`);
    }
  }
  const rows = ROWS.map((r) => `${r.service} ${r.op}`);
  expect(operations.filter((op) => !rows.includes(op))).toEqual([]);
  expect(rows.filter((r) => !operations.includes(r))).toEqual([]);
  expect(rows.filter((r, i) => rows.indexOf(r) !== i)).toEqual([]);
});

test('Public operations answer without a token', async () => {
  const failures: string[] = [];
  await inBatches(
    ROWS.filter((r) => r.public),
    8,
    async (r) => {
      const answer = await stack.send(r.service, r.op.split(' ')[0]!, r.path(stack.fixtures));
      if (answer.status < 200 || answer.status > 299) failures.push(`${r.service} ${r.op}: ${describe_(answer)}`);
    },
  );
  expect(failures).toEqual([]);
});

test('Every operation refuses every caller it is not for, about someone else’s object: never 2xx, never 5xx, a problem with a code', async () => {
  const cases = ROWS.filter((r) => !r.public).flatMap((r) => CALLERS.filter((c) => !(r.allowed ?? []).includes(c)).map((caller) => ({ r, caller })));
  const failures: string[] = [];
  const ids = fixtureIds(stack.fixtures);
  await inBatches(cases, 16, async ({ r, caller }) => {
    const method = r.op.split(' ')[0]!;
    const answer = await stack.send(r.service, method, r.path(stack.fixtures), tokens.get(caller), r.body?.(stack.fixtures) ?? (method === 'GET' ? undefined : {}));
    const where = `${r.service} ${r.op} as ${caller}`;
    if (answer.status >= 200 && answer.status < 300) {
      if (r.scopedList?.includes(caller) && !ids.some((id) => answer.text.includes(id))) return;
      failures.push(`${where}: answered ${describe_(answer)}`);
    } else if (answer.status >= 500) failures.push(`${where}: answered ${describe_(answer)}`);
    else if (![401, 403, 404].includes(answer.status) || !isProblem(answer)) failures.push(`${where}: answered ${describe_(answer)}`);
  });
  expect(failures.sort()).toEqual([]);
});

test('Broken tokens are refused with 401 and a problem, on a GET and a POST of each service', async () => {
  const cases = ATTACKED.flatMap((a) => ATTACKS.map((attack) => ({ a, attack })));
  const failures: string[] = [];
  await inBatches(cases, 16, async ({ a, attack }) => {
    const r = ROWS.find((x) => x.op === a.op && x.service === a.service)!;
    const method = a.op.split(' ')[0]!;
    const answer = await stack.send(a.service, method, r.path(stack.fixtures), attack.token(stack, a.claims), r.body?.(stack.fixtures) ?? (method === 'GET' ? undefined : {}));
    if (answer.status !== 401 || !isProblem(answer)) failures.push(`${a.service} ${a.op} with ${attack.name}: ${describe_(answer)}`);
  });
  expect(failures).toEqual([]);
});

test('The forged tokens are the gateway’s own: with the right claims they pass', async () => {
  const answer = await stack.send('ledger', 'GET', `/v1/accounts/${stack.fixtures.payableAccountId}`, stack.forge(ATTACKED[0]!.claims));
  expect(answer.status).toBe(200);
});
