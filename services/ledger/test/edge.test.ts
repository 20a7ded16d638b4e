import { generateKeyPairSync, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { httpClient } from '@esc/testing';
import { startLedger, transfer, type LedgerHarness } from './harness';

let ledger: LedgerHarness;
let certificate: string;
let payable: string;

beforeAll(async () => {
  ledger = await startLedger('edge', { BODY_LIMIT: '1mb' });
  certificate = await ledger.openAccount();
  payable = await ledger.openAccount({ code: 'provider_payable' });
  await ledger.fund(certificate, '100.00');
});
afterAll(async () => {
  await ledger?.stop();
});

const post = (...transfers: unknown[]) => ledger.writer.post('/v1/transfers', { transfers });

function expectProblem(res: { status: number; headers: Headers; body: any }, status: number, code: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get('content-type')).toContain('application/problem+json');
  expect(res.body).toMatchObject({ status, code });
  expect(typeof res.body.detail).toBe('string');
  expect(res.body.detail.length).toBeGreaterThan(10);
}

describe('Bad input gets a problem, never a 500', () => {
  it.each([
    ['more than two decimals', '1.005', 'must be a decimal string with at most two decimals'],
    ['zero', '0.00', 'must be greater than zero'],
    ['a negative amount', '-5.00', 'must be greater than zero'],
    ['a number instead of a string', 5, 'must be a decimal string'],
    ['an exponent', '1e3', 'at most two decimals'],
  ])('When the amount is %s, then 400 names transfers[0].amount', async (_label, amount, message) => {
    const res = await post({ ...transfer(certificate, payable, '1.00'), amount });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'transfers[0].amount', message: expect.stringContaining(message) })]));
  });

  it('When the same account is on both sides, then 400 says the accounts must differ', async () => {
    const res = await post(transfer(certificate, certificate, '1.00'));
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors[0]).toMatchObject({ field: 'transfers[0].credit_account_id' });
  });

  it('When an account does not exist, then 404 account_not_found', async () => {
    expectProblem(await post(transfer(certificate, randomUUID(), '1.00')), 404, 'account_not_found');
  });

  it('When the accounts keep different currencies, then 422 ledger_mismatch', async () => {
    const euro = await ledger.openAccount({ ledger: 'EUR', code: 'provider_payable' });
    expectProblem(await post(transfer(certificate, euro, '1.00')), 422, 'ledger_mismatch');
  });

  it('When the body is not JSON, then 400 malformed_json', async () => {
    expectProblem(await ledger.writer.post('/v1/transfers', '{"transfers": [', { 'content-type': 'application/json' }), 400, 'malformed_json');
  });

  it('When the body is larger than the limit, then 413 payload_too_large', async () => {
    const huge = { transfers: [{ ...transfer(certificate, payable, '1.00'), reference: 'x'.repeat(2_000_000) }] };
    expectProblem(await ledger.writer.post('/v1/transfers', huge), 413, 'payload_too_large');
  });

  it('When the batch holds more than 8,000 transfers, then 400 says to split it', async () => {
    const many = Array.from({ length: 8001 }, () => ({ id: randomUUID() }));
    const res = await ledger.writer.post('/v1/transfers', { transfers: many });
    expectProblem(res, 400, 'validation_failed');
    expect(res.body.errors.some((e: any) => e.field === 'transfers' && /8,000/.test(e.message))).toBe(true);
  });

  it('When a field is unknown or ids are not UUIDs, then 400 lists them', async () => {
    const res = await post({ ...transfer('nope', payable, '1.00'), colour: 'red' });
    expectProblem(res, 400, 'validation_failed');
    const fields = res.body.errors.map((e: any) => e.field);
    expect(fields).toEqual(expect.arrayContaining(['transfers[0].debit_account_id']));
    expect(JSON.stringify(res.body.errors)).toContain('colour');
  });

  it('When a transfer is posted, then the answer carries the caller’s request id, or a new one', async () => {
    const mine = await ledger.writer.post('/v1/transfers', { transfers: [transfer(certificate, payable, '0.01')] }, { 'x-request-id': 'trace-42' });
    expect(mine.status).toBe(200);
    expect(mine.headers.get('x-request-id')).toBe('trace-42');
    const fresh = await post(transfer(certificate, payable, '0.01'));
    expect(fresh.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('When the content type is not JSON, then 415 unsupported_media_type', async () => {
    expectProblem(await ledger.writer.post('/v1/transfers', 'a=b', { 'content-type': 'application/x-www-form-urlencoded' }), 415, 'unsupported_media_type');
  });

  it('When the path is unknown or an id is malformed, then 404 route_not_found or 400', async () => {
    expectProblem(await ledger.reader.get('/v1/nothing-here'), 404, 'route_not_found');
    expectProblem(await ledger.reader.get('/v1/accounts/not-a-uuid'), 400, 'validation_failed');
    expectProblem(await ledger.reader.get(`/v1/accounts/${randomUUID()}`), 404, 'account_not_found');
    expectProblem(await ledger.reader.get(`/v1/accounts/${certificate}/balance?at=yesterday`), 400, 'validation_failed');
  });
});

describe('Accounts', () => {
  it('When an account is opened twice with the same fields, then 200 with the same account; with other fields, then 409', async () => {
    const body = { id: randomUUID(), ledger: 'RUB', code: 'budget_allocation', owner: { type: 'programme', id: 'ДУ-2026' }, region_code: '73' };
    const first = await ledger.writer.post('/v1/accounts', body);
    expect(first.status).toBe(201);
    expect(first.body.flags).toEqual({ debits_must_not_exceed_credits: true, credits_must_not_exceed_debits: false });
    expect((await ledger.writer.post('/v1/accounts', body)).status).toBe(200);
    expectProblem(await ledger.writer.post('/v1/accounts', { ...body, region_code: '77' }), 409, 'exists_with_different_fields');
  });

  it('When accounts are listed by owner, code and region, then only matching ones come back, paged by cursor', async () => {
    const owner = { type: 'provider', id: randomUUID() };
    for (let i = 0; i < 3; i++) await ledger.openAccount({ code: 'provider_payable', owner });
    await ledger.openAccount({ code: 'provider_payable', owner, region_code: '77' });
    const first = await ledger.reader.get(`/v1/accounts?owner_type=provider&owner_id=${owner.id}&region_code=73&code=provider_payable&limit=2`);
    expect(first.body.items).toHaveLength(2);
    const second = await ledger.reader.get(`/v1/accounts?owner_type=provider&owner_id=${owner.id}&region_code=73&limit=2&after=${first.body.next_cursor}`);
    expect(second.body.items).toHaveLength(1);
    expect(second.body.next_cursor).toBeNull();
  });

  it('When a constraint flag is broken by a direct write, then PostgreSQL refuses it too', async () => {
    await expect(
      ledger.service.orm.em.fork().execute(`update ledger.accounts set debits_posted = credits_posted + 1 where id = ?`, [certificate]),
    ).rejects.toThrow(/accounts_debits_within_credits/);
  });
});

describe('Access', () => {
  it('When no token is sent, then 401 with WWW-Authenticate', async () => {
    const res = await ledger.anonymous.get(`/v1/accounts/${certificate}`);
    expectProblem(res, 401, 'unauthenticated');
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('When the token is forged with another key, then 401 invalid_token', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const forged = jwt.sign({ sub: 'service:bench', typ: 'service', scope: 'ledger:write ledger:read' }, privateKey, {
      algorithm: 'RS256',
      issuer: 'esc-gateway',
      audience: 'esc-marketplace',
      expiresIn: 600,
      keyid: 'forged',
    });
    expectProblem(await httpClient(ledger.url, forged).post('/v1/transfers', { transfers: [transfer(certificate, payable, '1.00')] }), 401, 'invalid_token');
    expectProblem(await httpClient(ledger.url, 'not.a.jwt').get(`/v1/accounts/${certificate}`), 401, 'invalid_token');
  });

  it('When a read-only service token writes, then 403; when it reads, then 200', async () => {
    expectProblem(await ledger.reader.post('/v1/transfers', { transfers: [transfer(certificate, payable, '1.00')] }), 403, 'forbidden');
    expect((await ledger.reader.get(`/v1/accounts/${certificate}`)).status).toBe(200);
  });

  it('When an auditor signs in, then they can read and check invariants but not write; a citizen can do neither', async () => {
    const auditor = httpClient(ledger.url, await ledger.signIn(await usernameWithRole('auditor')));
    expect((await auditor.get('/v1/audit/invariants')).body.ok).toBe(true);
    expectProblem(await auditor.post('/v1/transfers', { transfers: [transfer(certificate, payable, '1.00')] }), 403, 'forbidden');
    const citizen = httpClient(ledger.url, await ledger.signIn(await usernameWithRole('citizen')));
    expectProblem(await citizen.get(`/v1/accounts/${certificate}`), 403, 'forbidden');
  });
});

async function usernameWithRole(role: string): Promise<string> {
  const gatewayUrl = new URL(ledger.service.config.JWKS_URL).origin;
  const res = await fetch(`${gatewayUrl}/v1/auth/demo-users`);
  const body = (await res.json()) as any;
  const users: any[] = Array.isArray(body) ? body : body.users ?? body.items;
  return users.find((u) => u.roles.includes(role)).username;
}
