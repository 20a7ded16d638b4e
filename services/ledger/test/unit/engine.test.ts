import { Money } from '@esc/money';
import { applyBatch } from '../../src/domain/engine';
import type { AccountState, LedgerSnapshot, StoredTransfer, TransferRequest } from '../../src/domain/model';

const NOW = new Date('2026-06-01T10:00:00.000Z');
const m = (text: string) => Money.parse(text);
const NO_FLAGS = { linked: false, pending: false, postPending: false, voidPending: false };

function account(id: string, fields: Partial<AccountState> = {}): AccountState {
  return {
    id,
    ledger: 'RUB',
    flags: { debitsMustNotExceedCredits: false, creditsMustNotExceedDebits: false },
    debitsPosted: m('0'),
    creditsPosted: m('0'),
    debitsPending: m('0'),
    creditsPending: m('0'),
    ...fields,
  };
}

/** A certificate holding 100.00 (debits may not exceed credits) and a provider's payable account. */
function snapshot(fields: Partial<LedgerSnapshot> = {}): LedgerSnapshot {
  const certificate = account('cert', { flags: { debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: false }, creditsPosted: m('100.00') });
  const provider = account('prov');
  return {
    accounts: new Map([
      ['cert', certificate],
      ['prov', provider],
      ['usd', account('usd', { ledger: 'USD' })],
    ]),
    existing: new Map(),
    pendings: new Map(),
    resolvedPendingIds: new Set(),
    reversedIds: new Set(),
    now: NOW,
    ...fields,
  };
}

const pay = (id: string, amount: string, extra: Partial<TransferRequest> = {}): TransferRequest => ({
  id,
  debitAccountId: 'cert',
  creditAccountId: 'prov',
  amount: m(amount),
  code: 'redeem',
  flags: NO_FLAGS,
  timeoutSeconds: 0,
  ...extra,
});

function hold(id: string, amount: string, fields: Partial<StoredTransfer> = {}): StoredTransfer {
  return {
    id,
    rejection: null,
    debitAccountId: 'cert',
    creditAccountId: 'prov',
    amount: m(amount),
    ledger: 'RUB',
    code: 'redeem',
    reference: null,
    flags: { ...NO_FLAGS, pending: true },
    pendingId: null,
    timeoutSeconds: 0,
    expiresAt: null,
    reversalOf: null,
    expiry: false,
    createdAt: new Date('2026-06-01T09:00:00.000Z'),
    ...fields,
  };
}

const balances = (a: AccountState | undefined) => a && [a.debitsPosted, a.creditsPosted, a.debitsPending, a.creditsPending].map(String);

describe('applyBatch', () => {
  test('A posted transfer moves the amount, writes a debit and a credit entry with the balances after it, and touches both accounts', () => {
    const effects = applyBatch([[pay('t1', '30.50')]], snapshot());
    expect(effects.outcomes).toEqual([[{ id: 't1', status: 'created' }]]);
    const byId = new Map(effects.accounts.map((a) => [a.id, a]));
    expect(balances(byId.get('cert'))).toEqual(['30.5', '100', '0', '0'].map((v) => m(v).toString()));
    expect(balances(byId.get('prov'))).toEqual(['0', '30.5', '0', '0'].map((v) => m(v).toString()));
    expect(effects.entries.map((e) => [e.accountId, e.side, e.phase, String(e.postedDelta), String(e.pendingDelta)])).toEqual([
      ['cert', 'debit', 'posted', m('30.50').toString(), m('0').toString()],
      ['prov', 'credit', 'posted', m('30.50').toString(), m('0').toString()],
    ]);
    expect(effects.transfers).toHaveLength(1);
    expect(effects.transfers[0]).toMatchObject({ id: 't1', rejection: null, ledger: 'RUB', createdAt: NOW, expiresAt: null });
  });

  test('Spending exactly the balance passes; one kopeck more is insufficient_funds, kept against the id, and moves nothing', () => {
    const exact = applyBatch([[pay('t1', '100.00')]], snapshot());
    expect(exact.outcomes[0]).toEqual([{ id: 't1', status: 'created' }]);

    const over = applyBatch([[pay('t2', '100.01')]], snapshot());
    expect(over.outcomes[0]).toEqual([{ id: 't2', status: 'failed', code: 'insufficient_funds' }]);
    expect(over.entries).toEqual([]);
    expect(over.accounts).toEqual([]);
    expect(over.transfers).toEqual([expect.objectContaining({ id: 't2', rejection: 'insufficient_funds', ledger: null })]);
  });

  test('Transfers of one batch see each other: the second spends what the first left', () => {
    const effects = applyBatch([[pay('t1', '60.00')], [pay('t2', '60.00')]], snapshot());
    expect(effects.outcomes).toEqual([[{ id: 't1', status: 'created' }], [{ id: 't2', status: 'failed', code: 'insufficient_funds' }]]);
  });

  test('A linked chain is all or nothing: when its second transfer fails, the first is linked_event_failed and only the culprit is kept', () => {
    const effects = applyBatch([[pay('t1', '10.00', { flags: { ...NO_FLAGS, linked: true } }), pay('t2', '500.00')]], snapshot());
    expect(effects.outcomes[0]).toEqual([
      { id: 't1', status: 'failed', code: 'linked_event_failed' },
      { id: 't2', status: 'failed', code: 'insufficient_funds' },
    ]);
    expect(effects.entries).toEqual([]);
    expect(effects.transfers.map((t) => [t.id, t.rejection])).toEqual([['t2', 'insufficient_funds']]);
  });

  test('A chain left open at the end of a request fails whole with linked_event_chain_open and nothing is stored', () => {
    const effects = applyBatch([[pay('t1', '10.00'), pay('t2', '10.00', { flags: { ...NO_FLAGS, linked: true } })]], snapshot());
    expect(effects.outcomes[0]).toEqual([
      { id: 't1', status: 'created' },
      { id: 't2', status: 'failed', code: 'linked_event_chain_open' },
    ]);
    expect(effects.transfers.map((t) => t.id)).toEqual(['t1']);
  });

  test('Unknown accounts, one account on both sides and two currencies are refused with their own codes', () => {
    const effects = applyBatch(
      [[pay('a', '1.00', { creditAccountId: 'nobody' })], [pay('b', '1.00', { creditAccountId: 'cert' })], [pay('c', '1.00', { creditAccountId: 'usd' })]],
      snapshot(),
    );
    expect(effects.outcomes.flat().map((o) => (o.status === 'failed' ? o.code : o.status))).toEqual(['account_not_found', 'accounts_must_be_different', 'ledger_mismatch']);
  });

  test('A retry with the same fields answers exists; the same id with another amount is a conflict that is not stored', () => {
    const stored = hold('t1', '10.00', { flags: NO_FLAGS });
    const effects = applyBatch([[pay('t1', '10.00')], [pay('t1', '11.00')]], snapshot({ existing: new Map([['t1', stored]]) }));
    expect(effects.outcomes).toEqual([[{ id: 't1', status: 'exists' }], [{ id: 't1', status: 'failed', code: 'exists_with_different_fields' }]]);
    expect(effects.transfers).toEqual([]);
  });

  test('A retry of a rejected transfer answers the stored rejection, even though funds would now suffice', () => {
    const rejected = hold('t1', '10.00', { flags: NO_FLAGS, rejection: 'insufficient_funds' });
    const effects = applyBatch([[pay('t1', '10.00')]], snapshot({ existing: new Map([['t1', rejected]]) }));
    expect(effects.outcomes[0]).toEqual([{ id: 't1', status: 'failed', code: 'insufficient_funds' }]);
    expect(effects.transfers).toEqual([]);
  });

  test('A hold with a timeout expires that many seconds after now and reserves the amount as pending', () => {
    const effects = applyBatch([[pay('h1', '40.00', { flags: { ...NO_FLAGS, pending: true }, timeoutSeconds: 3600 })]], snapshot());
    expect(effects.transfers[0]!.expiresAt).toEqual(new Date(NOW.getTime() + 3600_000));
    const cert = effects.accounts.find((a) => a.id === 'cert');
    expect(String(cert!.debitsPending)).toBe(m('40.00').toString());
    expect(String(cert!.debitsPosted)).toBe(m('0').toString());
  });

  test('Posting part of a hold releases all of it and posts the part; posting more than it is pending_amount_exceeded', () => {
    const cert = account('cert', { flags: { debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: false }, creditsPosted: m('100.00'), debitsPending: m('40.00') });
    const prov = account('prov', { creditsPending: m('40.00') });
    const facts = snapshot({ accounts: new Map([['cert', cert], ['prov', prov]]), pendings: new Map([['h1', hold('h1', '40.00')]]) });
    const post = (id: string, amount: string): TransferRequest => ({ id, pendingId: 'h1', amount: m(amount), flags: { ...NO_FLAGS, postPending: true }, timeoutSeconds: 0 });

    const tooMuch = applyBatch([[post('p1', '40.01')]], facts);
    expect(tooMuch.outcomes[0]).toEqual([{ id: 'p1', status: 'failed', code: 'pending_amount_exceeded' }]);

    const part = applyBatch([[post('p2', '25.00')]], facts);
    expect(part.outcomes[0]).toEqual([{ id: 'p2', status: 'created' }]);
    const after = new Map(part.accounts.map((a) => [a.id, a]));
    expect(balances(after.get('cert'))).toEqual(['25', '100', '0', '0'].map((v) => m(v).toString()));
    expect(balances(after.get('prov'))).toEqual(['0', '25', '0', '0'].map((v) => m(v).toString()));
    expect(part.transfers[0]).toMatchObject({ pendingId: 'h1', code: 'redeem', ledger: 'RUB' });
  });

  test('A hold is resolved once: a second post in the same batch or after a stored one is pending_already_resolved', () => {
    const facts = snapshot({ pendings: new Map([['h1', hold('h1', '10.00')]]) });
    const voidIt = (id: string): TransferRequest => ({ id, pendingId: 'h1', flags: { ...NO_FLAGS, voidPending: true }, timeoutSeconds: 0 });
    const both = applyBatch([[voidIt('v1')], [voidIt('v2')]], facts);
    expect(both.outcomes.flat()).toEqual([
      { id: 'v1', status: 'created' },
      { id: 'v2', status: 'failed', code: 'pending_already_resolved' },
    ]);
    const later = applyBatch([[voidIt('v3')]], { ...facts, resolvedPendingIds: new Set(['h1']) });
    expect(later.outcomes[0]).toEqual([{ id: 'v3', status: 'failed', code: 'pending_already_resolved' }]);
  });

  test('An expired hold can no longer be posted, but the expiry sweep still voids it', () => {
    const expired = hold('h1', '10.00', { timeoutSeconds: 60, expiresAt: NOW });
    const facts = snapshot({ pendings: new Map([['h1', expired]]) });
    const posted = applyBatch([[{ id: 'p1', pendingId: 'h1', flags: { ...NO_FLAGS, postPending: true }, timeoutSeconds: 0 }]], facts);
    expect(posted.outcomes[0]).toEqual([{ id: 'p1', status: 'failed', code: 'pending_expired' }]);
    const swept = applyBatch([[{ id: 'v1', pendingId: 'h1', flags: { ...NO_FLAGS, voidPending: true }, timeoutSeconds: 0, expiry: true }]], facts);
    expect(swept.outcomes[0]).toEqual([{ id: 'v1', status: 'created' }]);
    expect(swept.transfers[0]!.expiry).toBe(true);
  });

  test('A pending_id that is no hold, or names other accounts, is refused', () => {
    const facts = snapshot({ pendings: new Map([['plain', hold('plain', '10.00', { flags: NO_FLAGS })], ['h1', hold('h1', '10.00')]]) });
    const effects = applyBatch(
      [
        [{ id: 'a', pendingId: 'missing', flags: { ...NO_FLAGS, voidPending: true }, timeoutSeconds: 0 }],
        [{ id: 'b', pendingId: 'plain', flags: { ...NO_FLAGS, voidPending: true }, timeoutSeconds: 0 }],
        [{ id: 'c', pendingId: 'h1', debitAccountId: 'prov', flags: { ...NO_FLAGS, postPending: true }, timeoutSeconds: 0 }],
      ],
      facts,
    );
    expect(effects.outcomes.flat().map((o) => (o.status === 'failed' ? o.code : o.status))).toEqual(['pending_not_found', 'pending_not_pending', 'pending_account_mismatch']);
  });

  test('A transfer is reversed at most once, whether the first reversal is stored or in the same batch', () => {
    const reversal = (id: string) => pay(id, '5.00', { debitAccountId: 'prov', creditAccountId: 'cert', code: 'reversal', reversalOf: 't0' });
    const prov = account('prov', { creditsPosted: m('5.00') });
    const facts = snapshot({ accounts: new Map([...snapshot().accounts, ['prov', prov]]) });
    const twice = applyBatch([[reversal('r1')], [reversal('r2')]], facts);
    expect(twice.outcomes.flat()).toEqual([
      { id: 'r1', status: 'created' },
      { id: 'r2', status: 'failed', code: 'already_reversed' },
    ]);
    const after = applyBatch([[reversal('r3')]], { ...facts, reversedIds: new Set(['t0']) });
    expect(after.outcomes[0]).toEqual([{ id: 'r3', status: 'failed', code: 'already_reversed' }]);
    expect(after.transfers).toEqual([]);
  });
});
