import type { PayoutCandidate } from '../../src/data-access/batch-store';
import { assertResolvable, manualMatchOutcome, matchStatementLine, payoutLookupFor } from '../../src/domain/statement-matching';
import { codeThrown } from './principals';

const payout = (over: Partial<PayoutCandidate> = {}): PayoutCandidate => ({
  id: 'p-1',
  batch_id: 'b-1',
  reference: 'ESC730000000001',
  inn: '7830002293',
  bank_account: '40702817300000000001',
  amount: '6650.95',
  status: 'in_transit',
  region_code: '73',
  ...over,
});

const line = (over: Partial<Parameters<typeof matchStatementLine>[0]> = {}) => {
  const counterpartyAccount = over.counterpartyAccount === undefined ? '40702817300000000001' : over.counterpartyAccount;
  return {
    direction: 'debit' as const,
    amount: '6650.95',
    reference: 'ESC730000000001' as string | null,
    counterpartyInn: '7830002293' as string | null,
    counterpartyName: 'Забота' as string | null,
    counterpartyAccount,
    counterpartyAccounts: counterpartyAccount ? [counterpartyAccount] : [],
    reversal: false,
    bankReason: null as string | null,
    ...over,
  };
};

const none = new Set<string>();

describe('payoutLookupFor: what a statement line is matched by', () => {
  test('the payout reference first, then INN and amount, else nothing', () => {
    expect(payoutLookupFor(line())).toEqual({ by: 'reference', reference: 'ESC730000000001' });
    expect(payoutLookupFor(line({ reference: null }))).toEqual({ by: 'inn_amount', inn: '7830002293', amount: '6650.95' });
    expect(payoutLookupFor(line({ reference: null, counterpartyInn: null }))).toEqual({ by: 'nothing' });
  });
});

describe('matchStatementLine', () => {
  test('a debit naming a payout in transit for its amount pays it, by reference', () => {
    expect(matchStatementLine(line(), '73', [payout()], none)).toEqual({
      outcome: 'paid',
      payoutId: 'p-1',
      matchMethod: 'reference',
      discrepancyCode: null,
      discrepancyReason: null,
    });
  });

  test('a credit naming it is the bank returning it', () => {
    expect(matchStatementLine(line({ direction: 'credit' }), '73', [payout()], none)).toMatchObject({ outcome: 'returned', payoutId: 'p-1' });
  });

  test('amounts equal as money match whatever their written form (6650.9 = 6650.90)', () => {
    expect(matchStatementLine(line({ amount: '6650.90' }), '73', [payout({ amount: '6650.9' })], none)).toMatchObject({ outcome: 'paid' });
  });

  test('one kopeck apart is an amount mismatch on that payout', () => {
    const d = matchStatementLine(line({ amount: '6650.94' }), '73', [payout()], none);
    expect(d).toMatchObject({ outcome: 'discrepancy', discrepancyCode: 'amount_mismatch', payoutId: 'p-1', matchMethod: null });
    expect(d.discrepancyReason).toBe('Сумма в выписке 6650.94 руб. не равна сумме выплаты ESC730000000001 — 6650.95 руб.');
  });

  test('a reference names the payout, but a payment to another account or INN is not its payment: each difference is named', () => {
    const account = matchStatementLine(line({ counterpartyAccount: '40817810352091093384' }), '73', [payout()], none);
    expect(account).toMatchObject({ outcome: 'discrepancy', discrepancyCode: 'payee_mismatch', payoutId: 'p-1', matchMethod: null });
    expect(account.discrepancyReason).toBe(
      'Строка со ссылкой ESC730000000001 платит не получателю этой выплаты: счёт получателя 40817810352091093384, а в выплате 40702817300000000001. ' +
        'Выплата не отмечена исполненной; выясните платёж в банке и разберите строку вручную.',
    );
    const inn = matchStatementLine(line({ counterpartyInn: '7707083893' }), '73', [payout()], none);
    expect(inn).toMatchObject({ discrepancyCode: 'payee_mismatch' });
    expect(inn.discrepancyReason).toContain('ИНН получателя 7707083893, а в выплате 7830002293');
    expect(inn.discrepancyReason).not.toContain('счёт');
    const all = matchStatementLine(line({ counterpartyInn: '7707083893', counterpartyAccount: '40817810352091093384', amount: '25000.00' }), '73', [payout()], none);
    expect(all.discrepancyCode).toBe('payee_mismatch');
    expect(all.discrepancyReason).toContain('счёт получателя 40817810352091093384, а в выплате 40702817300000000001; ИНН получателя 7707083893, а в выплате 7830002293; сумма 25000.00 руб., а в выплате 6650.95 руб.');
  });

  test('the same payee found by INN and amount on another account is not its payment either', () => {
    const d = matchStatementLine(line({ reference: null, counterpartyAccount: '40702810000000000999' }), '73', [payout()], none);
    expect(d).toMatchObject({ outcome: 'discrepancy', discrepancyCode: 'payee_mismatch', payoutId: 'p-1' });
    expect(d.discrepancyReason).toContain('по ИНН и сумме выплаты ESC730000000001');
  });

  test('an account written with spaces or in lower case is the same account; what the bank does not state is not held against the payout', () => {
    expect(matchStatementLine(line({ counterpartyAccount: '4070 2817 3000 0000 0001' }), '73', [payout()], none)).toMatchObject({ outcome: 'paid' });
    expect(matchStatementLine(line({ counterpartyAccount: null, counterpartyInn: null }), '73', [payout()], none)).toMatchObject({ outcome: 'paid' });
  });

  test('a 1C document naming two payee accounts (indirect settlement) pays the payout when either is its account', () => {
    const indirect = { counterpartyAccount: '30101810400000000225', counterpartyAccounts: ['30101810400000000225', '40702817300000000001'] };
    expect(matchStatementLine(line(indirect), '73', [payout()], none)).toMatchObject({ outcome: 'paid' });
    const neither = matchStatementLine(line({ ...indirect, counterpartyAccounts: ['30101810400000000225', '40702810000000000999'] }), '73', [payout()], none);
    expect(neither.discrepancyReason).toContain('счёт получателя 30101810400000000225 / 40702810000000000999, а в выплате 40702817300000000001');
  });

  test('a return comes from the payee’s bank, often its own account: only its amount is held against the payout', () => {
    const ret = line({ direction: 'credit', counterpartyAccount: '30101810400000000225', counterpartyInn: '7707083893' });
    expect(matchStatementLine(ret, '73', [payout()], none)).toMatchObject({ outcome: 'returned', payoutId: 'p-1' });
    expect(matchStatementLine({ ...ret, amount: '6650.00' }, '73', [payout()], none)).toMatchObject({ discrepancyCode: 'amount_mismatch' });
  });

  test('a debit reversing an earlier credit pays nothing, whatever it names', () => {
    const d = matchStatementLine(line({ reversal: true, bankReason: 'Сторно ранее зачисленной суммы. AC06: Счёт получателя заблокирован' }), '73', [payout()], none);
    expect(d).toMatchObject({ outcome: 'discrepancy', discrepancyCode: 'reversal', payoutId: 'p-1' });
    expect(d.discrepancyReason).toContain('по выплате ESC730000000001 (Сторно ранее зачисленной суммы. AC06: Счёт получателя заблокирован)');
    expect(matchStatementLine(line({ reversal: true, reference: null, counterpartyInn: null }), '73', [], none)).toMatchObject({ discrepancyCode: 'reversal', payoutId: null });
    // A credit reversing our debit is the payment coming back: a return.
    expect(matchStatementLine(line({ direction: 'credit', reversal: true }), '73', [payout()], none)).toMatchObject({ outcome: 'returned' });
  });

  test('a reference no payout of the region carries is unknown', () => {
    const d = matchStatementLine(line(), '73', [], none);
    expect(d).toMatchObject({ outcome: 'discrepancy', discrepancyCode: 'unknown_reference', payoutId: null });
    expect(d.discrepancyReason).toContain('региона 73');
  });

  test('a payout matched by an earlier line of the same statement is a duplicate', () => {
    expect(matchStatementLine(line(), '73', [payout()], new Set(['p-1']))).toMatchObject({ discrepancyCode: 'duplicate_in_statement', payoutId: 'p-1' });
  });

  test('the bank reporting a payout not yet approved is a discrepancy', () => {
    expect(matchStatementLine(line(), '73', [payout({ status: 'pending' })], none)).toMatchObject({ discrepancyCode: 'payout_not_approved' });
    expect(matchStatementLine(line(), '73', [payout({ status: 'withheld' })], none)).toMatchObject({ discrepancyCode: 'payout_not_approved' });
  });

  test('a payout settled by another statement: a return after payment is named as such', () => {
    expect(matchStatementLine(line(), '73', [payout({ status: 'paid' })], none)).toMatchObject({ discrepancyCode: 'already_settled' });
    expect(matchStatementLine(line({ direction: 'credit' }), '73', [payout({ status: 'paid' })], none)).toMatchObject({ discrepancyCode: 'returned_after_paid' });
    const returned = matchStatementLine(line({ direction: 'credit' }), '73', [payout({ status: 'returned' })], none);
    expect(returned).toMatchObject({ discrepancyCode: 'already_settled' });
    expect(returned.discrepancyReason).toContain('возвращённой');
  });

  test('without a reference, exactly one payout in transit to the INN for the amount pays it', () => {
    expect(matchStatementLine(line({ reference: null }), '73', [payout()], none)).toMatchObject({ outcome: 'paid', matchMethod: 'inn_amount' });
  });

  test('without a reference, payouts already taken in this statement are not candidates', () => {
    const twins = [payout(), payout({ id: 'p-2', reference: 'ESC730000000002' })];
    expect(matchStatementLine(line({ reference: null }), '73', twins, new Set(['p-1']))).toMatchObject({ outcome: 'paid', payoutId: 'p-2' });
    expect(matchStatementLine(line({ reference: null }), '73', [payout()], new Set(['p-1']))).toMatchObject({ discrepancyCode: 'unmatched' });
  });

  test('without a reference, two candidates are ambiguous and listed for a person', () => {
    const d = matchStatementLine(line({ reference: null }), '73', [payout(), payout({ id: 'p-2', reference: 'ESC730000000002' })], none);
    expect(d).toMatchObject({ outcome: 'discrepancy', discrepancyCode: 'ambiguous_match', payoutId: null });
    expect(d.discrepancyReason).toContain('ESC730000000001, ESC730000000002');
  });

  test('without a reference or an INN there is nothing to match', () => {
    const d = matchStatementLine(line({ reference: null, counterpartyInn: null, counterpartyName: null, amount: '10.00' }), '73', [], none);
    expect(d).toMatchObject({ discrepancyCode: 'unmatched' });
    expect(d.discrepancyReason).toContain('(10.00 руб., контрагент не указан)');
  });
});

describe('resolving a discrepancy by hand', () => {
  const open = { region_code: '73', direction: 'debit' as const, amount: '350.00' };

  test('only an unresolved discrepancy is resolvable', () => {
    expect(codeThrown(() => assertResolvable({ discrepancy_code: 'unmatched', resolution: null }))).toBeUndefined();
    expect(codeThrown(() => assertResolvable({ discrepancy_code: null, resolution: null }))).toBe('not_a_discrepancy');
    expect(codeThrown(() => assertResolvable({ discrepancy_code: 'unmatched', resolution: 'dismissed' }))).toBe('discrepancy_already_resolved');
  });

  test('a debit line matched to a payout in transit for its amount pays it; a credit line returns it', () => {
    expect(manualMatchOutcome(open, payout({ amount: '350.00' }), 'p-1')).toBe('paid');
    expect(manualMatchOutcome({ ...open, direction: 'credit' }, payout({ amount: '350' }), 'p-1')).toBe('returned');
  });

  test('the payout must exist in the line’s region, be in transit and carry the same amount to the kopeck', () => {
    expect(codeThrown(() => manualMatchOutcome(open, undefined, 'p-9'))).toBe('payout_not_found');
    expect(codeThrown(() => manualMatchOutcome(open, payout({ amount: '350.00', region_code: '77' }), 'p-1'))).toBe('payout_not_found');
    expect(codeThrown(() => manualMatchOutcome(open, payout({ amount: '350.00', status: 'paid' }), 'p-1'))).toBe('payout_not_in_transit');
    expect(codeThrown(() => manualMatchOutcome(open, payout({ amount: '350.01' }), 'p-1'))).toBe('amount_mismatch');
  });
});
