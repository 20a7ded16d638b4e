import { randomUUID } from 'node:crypto';
import { startLedger, transfer, type LedgerHarness } from './harness';

let ledger: LedgerHarness;

beforeAll(async () => {
  ledger = await startLedger('accounts-batch');
});
afterAll(async () => {
  await ledger?.stop();
});

const certificateAccount = (id = randomUUID(), extra: Record<string, unknown> = {}) => ({
  id,
  ledger: 'RUB',
  code: 'certificate',
  owner: { type: 'certificate', id },
  region_code: '73',
  metadata: { number: `73-2026-${id.slice(0, 7)}` },
  ...extra,
});

describe('Opening accounts in a batch', () => {
  test('When a batch opens new and already open accounts, then each gets its own result in order and the new ones take transfers', async () => {
    const existing = certificateAccount();
    expect((await ledger.writer.post('/v1/accounts', existing)).status).toBe(201);
    const fresh = [certificateAccount(), certificateAccount()];

    const res = await ledger.writer.post('/v1/accounts/batch', { accounts: [fresh[0], existing, fresh[1]] });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      results: [
        { id: fresh[0]!.id, status: 'created' },
        { id: existing.id, status: 'exists' },
        { id: fresh[1]!.id, status: 'created' },
      ],
      created: 2,
      existed: 1,
      failed: 0,
    });
    const opened = await ledger.balances(fresh[1]!.id);
    expect(opened).toMatchObject({ code: 'certificate', flags: { debits_must_not_exceed_credits: true }, metadata: fresh[1]!.metadata, credits_posted: '0.00' });
    await ledger.fund(fresh[1]!.id, '10.00');
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    const overspend = await ledger.writer.post('/v1/transfers', { transfers: [transfer(fresh[1]!.id, payable, '10.01')] });
    expect(overspend.body.code).toBe('insufficient_funds');
    expect(await ledger.invariantsOk()).toBe(true);
  });

  test('When an id exists with other fields, then only that account fails and the rest of the batch is opened', async () => {
    const existing = certificateAccount();
    await ledger.writer.post('/v1/accounts', existing);
    const fresh = certificateAccount();

    const res = await ledger.writer.post('/v1/accounts/batch', { accounts: [{ ...existing, region_code: '77' }, fresh, fresh] });

    expect(res.status).toBe(200);
    expect(res.body.results).toEqual([
      { id: existing.id, status: 'failed', code: 'exists_with_different_fields', detail: expect.stringContaining('already exists with other fields') },
      { id: fresh.id, status: 'created' },
      { id: fresh.id, status: 'exists' },
    ]);
    expect((await ledger.balances(existing.id)).region_code).toBe('73');
    expect((await ledger.balances(fresh.id)).id).toBe(fresh.id);
  });

  test('When the batch is empty, too big or holds a bad account, then 400 names the field and nothing is opened', async () => {
    const empty = await ledger.writer.post('/v1/accounts/batch', { accounts: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.errors).toEqual([expect.objectContaining({ field: 'accounts' })]);

    const tooMany = await ledger.writer.post('/v1/accounts/batch', { accounts: Array.from({ length: 8001 }, () => certificateAccount()) });
    expect(tooMany.status).toBe(400);

    const good = certificateAccount();
    const bad = await ledger.writer.post('/v1/accounts/batch', { accounts: [good, { ...certificateAccount(), code: 'piggy_bank' }] });
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'accounts[1].code' })]);
    expect((await ledger.reader.get(`/v1/accounts/${good.id}`)).status).toBe(404);
  });

  test('When a reader without ledger:write opens accounts, then 403', async () => {
    const res = await ledger.reader.post('/v1/accounts/batch', { accounts: [certificateAccount()] });
    expect(res.status).toBe(403);
  });
});
