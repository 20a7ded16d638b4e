import { Money } from '@esc/money';
import { batchResults, newAccount, normalBalance, sameFields, type OpenAccountInput } from '../../src/domain/accounts';
import { isPersistedRejection } from '../../src/domain/errors';
import type { AccountRecord, StoredTransfer } from '../../src/domain/model';
import { pendingStatus } from '../../src/domain/transfer-queries';

const m = (text: string) => Money.parse(text);
const input = (fields: Partial<OpenAccountInput> = {}): OpenAccountInput => ({
  id: 'a1',
  ledger: 'RUB',
  code: 'certificate',
  owner: { type: 'certificate', id: 'C-1' },
  regionCode: '73',
  metadata: { number: 1, holder: { name: 'Иванова' } },
  ...fields,
});

function stored(fields: Partial<AccountRecord> = {}): AccountRecord {
  const wanted = newAccount(input());
  return {
    ...wanted,
    debits_posted: '0.00',
    credits_posted: '0.00',
    debits_pending: '0.00',
    credits_pending: '0.00',
    created_at: '2026-06-01T10:00:00.000Z',
    ...fields,
  };
}

describe('normalBalance', () => {
  const b = { debitsPosted: m('30.00'), creditsPosted: m('100.00'), debitsPending: m('20.00'), creditsPending: m('5.00') };

  test('A credit-normal account (a certificate) holds credits less debits; its holds on debits reduce what is available', () => {
    const { posted, available } = normalBalance('certificate', b);
    expect([posted.toString(), available.toString()]).toEqual([m('70.00').toString(), m('50.00').toString()]);
  });

  test('A debit-normal account (the treasury source) holds debits less credits, and can be negative', () => {
    const { posted, available } = normalBalance('treasury_source', b);
    expect([posted.toString(), available.toString()]).toEqual([m('-70.00').toString(), m('-75.00').toString()]);
  });
});

describe('opening accounts', () => {
  test('The chart fills in the flags not given; given flags win', () => {
    expect(newAccount(input())).toMatchObject({ debits_must_not_exceed_credits: true, credits_must_not_exceed_debits: false });
    expect(newAccount(input({ code: 'provider_payable' }))).toMatchObject({ debits_must_not_exceed_credits: false });
    expect(newAccount(input({ flags: { debitsMustNotExceedCredits: false, creditsMustNotExceedDebits: true } }))).toMatchObject({
      debits_must_not_exceed_credits: false,
      credits_must_not_exceed_debits: true,
    });
  });

  test('The same fields are the same account whatever order jsonb gave the metadata keys; any other field differs', () => {
    const wanted = newAccount(input());
    expect(sameFields(stored({ metadata: { holder: { name: 'Иванова' }, number: 1 } }), wanted)).toBe(true);
    expect(sameFields(stored({ metadata: { number: 2, holder: { name: 'Иванова' } } }), wanted)).toBe(false);
    expect(sameFields(stored({ region_code: '77' }), wanted)).toBe(false);
    expect(sameFields(stored({ credits_must_not_exceed_debits: true }), wanted)).toBe(false);
    // Balances and time are not fields of an opening.
    expect(sameFields(stored({ credits_posted: '10.00', created_at: '2027-01-01T00:00:00.000Z' }), wanted)).toBe(true);
  });

  test('In a batch, the first occurrence of an id is created, an identical repeat exists, and a repeat with other fields fails alone', () => {
    const a = newAccount(input());
    const other = newAccount(input({ regionCode: '77' }));
    const b = newAccount(input({ id: 'b1' }));
    const results = batchResults([a, a, other, b], new Set(['a1', 'b1']), new Map());
    expect(results.map((r) => r.status)).toEqual(['created', 'exists', 'failed', 'created']);
    expect(results[2]).toMatchObject({ id: 'a1', code: 'exists_with_different_fields' });
  });

  test('An id already stored answers exists when its fields match and fails when they do not', () => {
    const a = newAccount(input());
    const b = newAccount(input({ id: 'b1' }));
    const existing = new Map([
      ['a1', stored()],
      ['b1', stored({ id: 'b1', owner_id: 'someone else' })],
    ]);
    expect(batchResults([a, b], new Set(), existing).map((r) => r.status)).toEqual(['exists', 'failed']);
  });
});

describe('pendingStatus', () => {
  const flags = { linked: false, pending: false, postPending: false, voidPending: false };
  const transfer = (fields: Partial<StoredTransfer>): StoredTransfer => ({
    id: 'h1',
    rejection: null,
    debitAccountId: 'd',
    creditAccountId: 'c',
    amount: m('1.00'),
    ledger: 'RUB',
    code: 'x',
    reference: null,
    flags: { ...flags, pending: true },
    pendingId: null,
    timeoutSeconds: 0,
    expiresAt: null,
    reversalOf: null,
    expiry: false,
    createdAt: new Date(0),
    ...fields,
  });

  test('A hold is pending until resolved, then posted, voided, or expired when the sweep voided it', () => {
    expect(pendingStatus({ transfer: transfer({}), resolution: null })).toBe('pending');
    expect(pendingStatus({ transfer: transfer({}), resolution: transfer({ flags: { ...flags, postPending: true } }) })).toBe('posted');
    expect(pendingStatus({ transfer: transfer({}), resolution: transfer({ flags: { ...flags, voidPending: true } }) })).toBe('voided');
    expect(pendingStatus({ transfer: transfer({}), resolution: transfer({ flags: { ...flags, voidPending: true }, expiry: true }) })).toBe('expired');
  });

  test('A transfer that is no hold, or a rejected hold, has no pending status', () => {
    expect(pendingStatus({ transfer: transfer({ flags }), resolution: null })).toBeNull();
    expect(pendingStatus({ transfer: transfer({ rejection: 'insufficient_funds' }), resolution: null })).toBeNull();
  });
});

test('Rejections that depend on the request alone or on balances are kept against the id; conflicts and chain failures are not', () => {
  expect(isPersistedRejection('insufficient_funds')).toBe(true);
  expect(isPersistedRejection('account_not_found')).toBe(true);
  expect(isPersistedRejection('pending_expired')).toBe(true);
  for (const code of ['exists_with_different_fields', 'already_reversed', 'linked_event_failed', 'linked_event_chain_open'] as const) {
    expect(isPersistedRejection(code)).toBe(false);
  }
});
