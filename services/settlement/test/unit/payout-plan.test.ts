import type { ProviderDetails } from '../../src/clients/provider-directory';
import { payoutAmounts, planPayouts, providersWithoutDetails } from '../../src/domain/payout-plan';

describe('payoutAmounts: what a provider is paid of what it earned', () => {
  test('a payable holding at least the earnings pays them whole', () => {
    expect(payoutAmounts('6650.95', '7000.95')).toEqual({ earned: '6650.95', withheld: '0.00', amount: '6650.95', withheldReason: null, status: 'pending' });
    expect(payoutAmounts('6650.95', '6650.95')).toMatchObject({ amount: '6650.95', withheld: '0.00' });
  });

  test('a clawback that made the payable smaller withholds the difference, with the reason', () => {
    const p = payoutAmounts('1750.00', '1500.00');
    expect(p).toMatchObject({ earned: '1750.00', withheld: '250.00', amount: '1500.00', status: 'pending' });
    expect(p.withheldReason).toBe(
      'Удержано 250.00 руб. в счёт задолженности поставщика: на его расчётном счёте в учёте 1500.00 руб. (возврат или перерасчёт прошлых периодов).',
    );
  });

  test('a payable one kopeck short withholds exactly one kopeck', () => {
    expect(payoutAmounts('100.00', '99.99')).toMatchObject({ withheld: '0.01', amount: '99.99', status: 'pending' });
  });

  test('an empty or negative payable pays nothing: the payout is withheld whole', () => {
    expect(payoutAmounts('100.00', '0')).toMatchObject({ withheld: '100.00', amount: '0.00', status: 'withheld' });
    const negative = payoutAmounts('100.00', '-250.50');
    expect(negative).toMatchObject({ withheld: '100.00', amount: '0.00', status: 'withheld' });
    expect(negative.withheldReason).toContain('в учёте -250.50 руб.');
  });

  test('amounts are normalised to two decimals and stay exact at eighteen digits', () => {
    expect(payoutAmounts('5', '10.5')).toMatchObject({ earned: '5.00', amount: '5.00', withheld: '0.00' });
    expect(payoutAmounts('999999999999999999.99', '999999999999999999.98')).toMatchObject({ amount: '999999999999999999.98', withheld: '0.01' });
  });
});

const details = (id: string, name: string, kpp: string | null = '773601001'): ProviderDetails => ({
  id,
  name,
  inn: '7830002293',
  kpp,
  fundingMode: 'compensation',
  bank: { bic: '044525225', account: '40702817300000000001', bankName: 'ПАО Сбербанк', correspondentAccount: null },
});

describe('planPayouts: the payouts of a batch', () => {
  const A = 'aaaaaaaa-0000-4000-8000-000000000001';
  const B = 'bbbbbbbb-0000-4000-8000-000000000002';
  const C = 'cccccccc-0000-4000-8000-000000000003';
  const directory = new Map([
    [A, details(A, 'Забота')],
    [B, details(B, 'Клевер', null)],
    [C, details(C, 'Долг')],
  ]);
  let n = 0;
  const newId = () => `id-${++n}`;

  test('numbers payouts in the given order, counts only those to transfer, and totals what is paid', () => {
    const plan = planPayouts(
      [
        { provider_id: A, earned: '6650.95' },
        { provider_id: B, earned: '1750.00' },
        { provider_id: C, earned: '0.05' },
      ],
      new Map([
        [A, '7000.95'],
        [B, '1500.00'],
        [C, '-3.00'],
      ]),
      directory,
      newId,
    );
    expect(plan.payouts.map((p) => [p.number, p.providerId, p.amount, p.withheld, p.status])).toEqual([
      [1, A, '6650.95', '0.00', 'pending'],
      [2, B, '1500.00', '250.00', 'pending'],
      [3, C, '0.00', '0.05', 'withheld'],
    ]);
    expect(plan.transfers).toBe(2);
    expect(plan.total).toBe('8150.95');
    expect(new Set(plan.payouts.map((p) => p.id)).size).toBe(3);
    expect(plan.payouts[1]).toMatchObject({ providerName: 'Клевер', kpp: null, bankBic: '044525225', bankCorrespondentAccount: null });
  });

  test('a provider the ledger has no payable for is treated as holding nothing', () => {
    const plan = planPayouts([{ provider_id: A, earned: '10.00' }], new Map(), directory, newId);
    expect(plan).toMatchObject({ transfers: 0, total: '0.00' });
    expect(plan.payouts[0]).toMatchObject({ status: 'withheld', withheld: '10.00' });
  });

  test('an empty run plans an empty batch', () => {
    expect(planPayouts([], new Map(), directory, newId)).toEqual({ payouts: [], transfers: 0, total: '0.00' });
  });

  test('providers missing from the directory are named, in order', () => {
    expect(providersWithoutDetails([C, 'x', A, 'y'], directory)).toEqual(['x', 'y']);
    expect(() => planPayouts([{ provider_id: 'x', earned: '1.00' }], new Map(), directory, newId)).toThrow('no provider details for x');
  });
});
