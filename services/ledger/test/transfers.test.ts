import { randomUUID } from 'node:crypto';
import { startLedger, transfer, type LedgerHarness } from './harness';

let ledger: LedgerHarness;

beforeAll(async () => {
  ledger = await startLedger('transfers');
});
afterAll(async () => {
  await ledger?.stop();
});

const post = (...transfers: unknown[]) => ledger.writer.post('/v1/transfers', { transfers });

describe('Posting transfers', () => {
  it('When a budget allocation funds a certificate, then both balances and running-balance entries move by the amount', async () => {
    const allocation = await ledger.openAccount({ code: 'budget_allocation' });
    const certificate = await ledger.openAccount();
    await ledger.fund(allocation, '1000.00');

    const res = await post(transfer(allocation, certificate, '250.50', { code: 'issue_certificate', reference: 'СЕРТ-0001' }));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ created: 1, existed: 0, failed: 0, results: [{ status: 'created' }] });

    const a = await ledger.balances(allocation);
    expect(a).toMatchObject({ debits_posted: '250.50', credits_posted: '1000.00', balance: { posted: '749.50', available: '749.50' } });
    const c = await ledger.balances(certificate);
    expect(c).toMatchObject({ credits_posted: '250.50', normal_side: 'credit', balance: { posted: '250.50' } });

    const entries = await ledger.reader.get(`/v1/accounts/${allocation}/entries`);
    expect(entries.body.items.map((e: any) => [e.side, e.amount, e.credits_posted, e.debits_posted])).toEqual([
      ['credit', '1000.00', '1000.00', '0.00'],
      ['debit', '250.50', '1000.00', '250.50'],
    ]);
  });

  it('When the debit account is constrained and short of funds, then the transfer fails with insufficient_funds and nothing moves', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '10.00');
    const res = await post(transfer(certificate, payable, '10.01'));
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    expect(res.body).toMatchObject({ code: 'insufficient_funds', results: [{ status: 'failed', code: 'insufficient_funds' }] });
    expect((await ledger.balances(certificate)).balance.available).toBe('10.00');
  });

  it('When a transfer would take an account’s total to 10^18 or beyond, then it fails with balance_overflow and nothing moves', async () => {
    // Its own source: the harness's shared treasury must not carry the largest amount into other tests.
    const source = await ledger.openAccount({ code: 'treasury_source' });
    const allocation = await ledger.openAccount({ code: 'budget_allocation' });
    expect((await post(transfer(source, allocation, '999999999999999999.99'))).status).toBe(200);
    const res = await post(transfer(source, allocation, '0.01'));
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'balance_overflow', results: [{ status: 'failed', code: 'balance_overflow' }] });
    expect((await ledger.balances(allocation)).credits_posted).toBe('999999999999999999.99');
  });

  it('When a batch mixes good and bad transfers, then each gets its own result and only the good ones apply', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '5.00');
    const res = await post(transfer(certificate, payable, '3.00'), transfer(certificate, payable, '3.00'), transfer(certificate, payable, '2.00'));
    expect(res.status).toBe(200);
    expect(res.body.results.map((r: any) => r.code ?? r.status)).toEqual(['created', 'insufficient_funds', 'created']);
    expect((await ledger.balances(certificate)).balance.available).toBe('0.00');
  });
});

describe('Idempotency', () => {
  it('When the same transfer is sent twice, then the second answers exists and money moves once', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '100.00');
    const t = transfer(certificate, payable, '40.00');
    expect((await post(t)).body.results[0].status).toBe('created');
    expect((await post(t)).body.results[0].status).toBe('exists');
    expect((await ledger.balances(payable)).credits_posted).toBe('40.00');
  });

  it('When an id is reused with a different amount, then it is refused with exists_with_different_fields', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '100.00');
    const t = transfer(certificate, payable, '40.00');
    await post(t);
    const res = await post({ ...t, amount: '41.00' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('exists_with_different_fields');
  });

  it('When a rejected transfer is retried after the account is funded, then it stays rejected with the first code', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    const t = transfer(certificate, payable, '10.00');
    expect((await post(t)).body.code).toBe('insufficient_funds');
    await ledger.fund(certificate, '100.00');
    const retry = await post(t);
    expect(retry.body.code).toBe('insufficient_funds');
    expect((await ledger.balances(payable)).credits_posted).toBe('0.00');
    const stored = await ledger.reader.get(`/v1/transfers/${t.id}`);
    expect(stored.status).toBe(404);
    expect(stored.body).toMatchObject({ code: 'transfer_rejected', rejection: 'insufficient_funds' });
  });
});

describe('Holds', () => {
  it('When a hold is placed and partly posted, then the rest is released and running balances show each step', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '100.00');
    const hold = transfer(certificate, payable, '60.00', { flags: { pending: true }, timeout_seconds: 3600 });
    expect((await post(hold)).body.results[0].status).toBe('created');
    expect((await ledger.balances(certificate)).balance).toEqual({ posted: '100.00', available: '40.00' });

    const other = await post(transfer(certificate, payable, '50.00'));
    expect(other.body.code).toBe('insufficient_funds');

    const postId = randomUUID();
    const posted = await post({ id: postId, pending_id: hold.id, amount: '45.00', flags: { post_pending: true } });
    expect(posted.body.results[0].status).toBe('created');
    expect(await ledger.balances(certificate)).toMatchObject({ debits_posted: '45.00', debits_pending: '0.00', balance: { posted: '55.00', available: '55.00' } });
    expect((await ledger.reader.get(`/v1/transfers/${hold.id}`)).body.pending_status).toBe('posted');

    const again = await post({ id: randomUUID(), pending_id: hold.id, flags: { void_pending: true } });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('pending_already_resolved');
    // A retry of the same post with the amount omitted is the same request.
    expect((await post({ id: postId, pending_id: hold.id, flags: { post_pending: true } })).body.results[0].status).toBe('exists');
  });

  it('When a hold is voided, then the whole amount becomes available again', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '30.00');
    const hold = transfer(certificate, payable, '30.00', { flags: { pending: true } });
    await post(hold);
    await post({ id: randomUUID(), pending_id: hold.id, flags: { void_pending: true } });
    expect((await ledger.balances(certificate)).balance.available).toBe('30.00');
    expect((await ledger.reader.get(`/v1/transfers/${hold.id}`)).body.pending_status).toBe('voided');
  });

  it('When posting more than the hold, then pending_amount_exceeded; when the pending id is unknown, then pending_not_found', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '30.00');
    const hold = transfer(certificate, payable, '10.00', { flags: { pending: true } });
    await post(hold);
    expect((await post({ id: randomUUID(), pending_id: hold.id, amount: '10.01', flags: { post_pending: true } })).body.code).toBe(
      'pending_amount_exceeded',
    );
    const unknown = await post({ id: randomUUID(), pending_id: randomUUID(), flags: { post_pending: true } });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('pending_not_found');
  });

  it('When a hold times out, then the expiry job voids it, the money is available again and a late post gets pending_expired', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '20.00');
    const hold = transfer(certificate, payable, '20.00', { flags: { pending: true }, timeout_seconds: 1 });
    await post(hold);
    await new Promise((r) => setTimeout(r, 1100));
    const late = await post({ id: randomUUID(), pending_id: hold.id, flags: { post_pending: true } });
    expect(late.body.code).toBe('pending_expired');

    expect(await ledger.service.expireHolds()).toBeGreaterThanOrEqual(1);
    expect((await ledger.reader.get(`/v1/transfers/${hold.id}`)).body.pending_status).toBe('expired');
    expect((await ledger.balances(certificate)).balance.available).toBe('20.00');
    expect(await ledger.service.expireHolds()).toBe(0);

    // Later sweeps only look at holds expiring since the last one; a new hold is still caught.
    const later = transfer(certificate, payable, '5.00', { flags: { pending: true }, timeout_seconds: 1 });
    await post(later);
    await new Promise((r) => setTimeout(r, 1100));
    expect(await ledger.service.expireHolds()).toBe(1);
    expect((await ledger.reader.get(`/v1/transfers/${later.id}`)).body.pending_status).toBe('expired');
  });
});

describe('Linked chains', () => {
  it('When one transfer of a linked chain fails, then none of the chain applies and the others say linked_event_failed', async () => {
    const allocation = await ledger.openAccount({ code: 'budget_allocation' });
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(allocation, '100.00');
    const res = await post(
      transfer(allocation, certificate, '80.00', { flags: { linked: true } }),
      transfer(certificate, payable, '50.00', { flags: { linked: true } }),
      transfer(certificate, payable, '40.00'),
      transfer(allocation, certificate, '1.00'),
    );
    expect(res.body.results.map((r: any) => r.code ?? r.status)).toEqual(['linked_event_failed', 'linked_event_failed', 'insufficient_funds', 'created']);
    expect((await ledger.balances(allocation)).balance.posted).toBe('99.00');
    expect((await ledger.balances(payable)).credits_posted).toBe('0.00');
  });

  it('When a linked chain succeeds, then all of it applies; when the batch ends with linked, then the open chain fails', async () => {
    const allocation = await ledger.openAccount({ code: 'budget_allocation' });
    const certificate = await ledger.openAccount();
    await ledger.fund(allocation, '100.00');
    const ok = await post(transfer(allocation, certificate, '10.00', { flags: { linked: true } }), transfer(allocation, certificate, '20.00'));
    expect(ok.body.created).toBe(2);
    const open = await post(transfer(allocation, certificate, '1.00'), transfer(allocation, certificate, '1.00', { flags: { linked: true } }));
    expect(open.body.results.map((r: any) => r.code ?? r.status)).toEqual(['created', 'linked_event_chain_open']);
  });
});

describe('Reversals and history', () => {
  it('When a posted transfer is reversed, then the correcting transfer moves it back, once', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '100.00');
    const t = transfer(certificate, payable, '70.00');
    await post(t);
    const reversalId = randomUUID();
    const rev = await ledger.writer.post(`/v1/transfers/${t.id}/reverse`, { id: reversalId, reference: 'ошибка в акте' });
    expect(rev.status).toBe(201);
    expect(rev.body).toMatchObject({ debit_account_id: payable, credit_account_id: certificate, amount: '70.00', reversal_of: t.id });
    expect((await ledger.balances(certificate)).balance.posted).toBe('100.00');
    expect((await ledger.writer.post(`/v1/transfers/${t.id}/reverse`, { id: reversalId, reference: 'ошибка в акте' })).status).toBe(200);
    const twice = await ledger.writer.post(`/v1/transfers/${t.id}/reverse`, { id: randomUUID() });
    expect(twice.status).toBe(409);
    expect(twice.body.code).toBe('already_reversed');
  });

  it('When a reversal would take a constrained account below zero, then it is refused', async () => {
    const allocation = await ledger.openAccount({ code: 'budget_allocation' });
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(allocation, '50.00');
    const issue = transfer(allocation, certificate, '50.00');
    await post(issue);
    await post(transfer(certificate, payable, '30.00'));
    const rev = await ledger.writer.post(`/v1/transfers/${issue.id}/reverse`, { id: randomUUID() });
    expect(rev.status).toBe(422);
    expect(rev.body.code).toBe('insufficient_funds');
  });

  it('When asked for the balance at an earlier time, then it answers the running balance then', async () => {
    const certificate = await ledger.openAccount();
    await ledger.fund(certificate, '10.00');
    await new Promise((r) => setTimeout(r, 20));
    const between = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20));
    await ledger.fund(certificate, '5.00');
    const then = await ledger.reader.get(`/v1/accounts/${certificate}/balance?at=${encodeURIComponent(between)}`);
    expect(then.body.balance.posted).toBe('10.00');
    const now = await ledger.reader.get(`/v1/accounts/${certificate}/balance`);
    expect(now.body.balance.posted).toBe('15.00');
    const before = await ledger.reader.get(`/v1/accounts/${certificate}/balance?at=2020-01-01T00:00:00Z`);
    expect(before.body).toMatchObject({ balance: { posted: '0.00' }, last_entry_seq: null });
  });

  it('When entries are paged, then the cursor walks them all in order without repeats', async () => {
    const certificate = await ledger.openAccount();
    for (let i = 0; i < 5; i++) await ledger.fund(certificate, '1.00');
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: any = await ledger.reader.get(`/v1/accounts/${certificate}/entries?limit=2${cursor ? `&after_seq=${cursor}` : ''}`);
      seen.push(...page.body.items.map((e: any) => e.credits_posted));
      cursor = page.body.next_cursor;
    } while (cursor);
    expect(seen).toEqual(['1.00', '2.00', '3.00', '4.00', '5.00']);
  });

  it('When the cursor is a number no bigint holds, then it is refused as input, not failed in the query', async () => {
    const certificate = await ledger.openAccount();
    const page = await ledger.reader.get(`/v1/accounts/${certificate}/entries?after_seq=9999999999999999999`);
    expect(page.status).toBe(400);
    expect(page.body.code).toBe('validation_failed');
  });

  it('When the history is touched directly in the database, then PostgreSQL refuses', async () => {
    await expect(ledger.service.orm.em.fork().execute('update ledger.entries set amount = 0')).rejects.toThrow(/append-only/);
    expect(await ledger.invariantsOk()).toBe(true);
  });
});

describe('Open holds', () => {
  const openHolds = async (query: string) => (await ledger.reader.get(`/v1/holds?${query}`)).body as { items: Array<{ id: string; pending_status: string }>; next_cursor: string | null };

  it('When a service asks for open holds placed before a time, then it gets those not posted, voided or expired, with its code, page by page', async () => {
    const certificate = await ledger.openAccount();
    const payable = await ledger.openAccount({ code: 'provider_payable' });
    await ledger.fund(certificate, '100.00');
    const code = `test_hold_${randomUUID().slice(0, 8)}`;
    const hold = (amount: string, timeout_seconds = 3600) => transfer(certificate, payable, amount, { code, flags: { pending: true }, timeout_seconds });
    const open = [hold('1.00'), hold('2.00'), hold('3.00')];
    const posted = hold('4.00');
    const voided = hold('5.00');
    const lapsing = hold('6.00', 1);
    const otherCode = transfer(certificate, payable, '7.00', { code: `${code}_other`, flags: { pending: true }, timeout_seconds: 3600 });
    const plain = transfer(certificate, payable, '8.00', { code });
    expect((await post(...open, posted, voided, lapsing, otherCode, plain)).body).toMatchObject({ created: 8 });
    await post({ id: randomUUID(), pending_id: posted.id, flags: { post_pending: true } }, { id: randomUUID(), pending_id: voided.id, flags: { void_pending: true } });
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const placedBefore = encodeURIComponent(new Date().toISOString());

    const all = await openHolds(`placed_before=${placedBefore}&code=${code}`);
    expect(all.items.map((t) => t.id).sort()).toEqual(open.map((t) => t.id).sort());
    expect(all.items.every((t) => t.pending_status === 'pending')).toBe(true);
    expect(all.next_cursor).toBeNull();

    const first = await openHolds(`placed_before=${placedBefore}&code=${code}&limit=2`);
    expect(first.items).toHaveLength(2);
    const rest = await openHolds(`placed_before=${placedBefore}&code=${code}&limit=2&after=${first.next_cursor}`);
    expect([...first.items, ...rest.items].map((t) => t.id)).toEqual(all.items.map((t) => t.id));

    // Placed after the time asked: not listed.
    expect((await openHolds(`placed_before=${encodeURIComponent(new Date(Date.now() - 60_000).toISOString())}&code=${code}`)).items).toEqual([]);
  });

  it('When the query is malformed, then 400 names the field', async () => {
    const res = await ledger.reader.get('/v1/holds?code=authorise_delivery');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'validation_failed' });
    expect(JSON.stringify(res.body)).toContain('placed_before');
  });
});
