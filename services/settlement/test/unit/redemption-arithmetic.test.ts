import { ledgerAccountIds } from '@esc/ledger-client';
import { redemptionInconsistency, type RedemptionPosted } from '../../src/domain/redemptions';

const PROVIDER = '6e9de740-d447-49a2-a48f-a219e95a9be5';

function payload(money: Partial<Pick<RedemptionPosted, 'unit_cost' | 'units' | 'gross_amount' | 'fee_amount' | 'amount' | 'payable_account_id'>>): RedemptionPosted {
  return {
    redemption_id: '00000000-0000-4000-8000-000000000001',
    certificate_id: '00000000-0000-4000-8000-000000000002',
    certificate_number: '73-000001',
    certificate_line_id: '00000000-0000-4000-8000-000000000003',
    booking_id: '00000000-0000-4000-8000-000000000004',
    provider_id: PROVIDER,
    provider_funding_mode: 'compensation',
    region_code: '73',
    budget_programme_id: '00000000-0000-4000-8000-000000000005',
    budget_programme_code: 'SOC-HOME-73',
    service_code: 'HOME-PSYCH-VISIT',
    service_name: 'Консультирование',
    unit: 'visit',
    units: 2,
    unit_cost: '1250.50',
    gross_amount: '2501.00',
    fee_amount: '250.05',
    amount: '2250.95',
    delivered_on: '2026-10-15',
    posted_at: '2026-10-15T10:00:00Z',
    ledger_transfer_id: '00000000-0000-4000-8000-000000000006',
    payable_account_id: ledgerAccountIds.providerPayable(PROVIDER),
    ...money,
  };
}

describe('redemptionInconsistency: the money of one delivery', () => {
  test('gross = unit cost × units and amount = gross − fee to the kopeck is consistent', () => {
    expect(redemptionInconsistency(payload({}))).toBeUndefined();
  });

  test('a fee of zero leaves the whole gross to compensate', () => {
    expect(redemptionInconsistency(payload({ units: 10, unit_cost: '350.00', gross_amount: '3500.00', fee_amount: '0.00', amount: '3500.00' }))).toBeUndefined();
  });

  test('a fee equal to the gross leaves nothing to compensate, and that is consistent', () => {
    expect(redemptionInconsistency(payload({ units: 1, unit_cost: '0.01', gross_amount: '0.01', fee_amount: '0.01', amount: '0.00' }))).toBeUndefined();
  });

  test('a gross one kopeck off the product is refused with the numbers', () => {
    expect(redemptionInconsistency(payload({ gross_amount: '2501.01', amount: '2250.96' }))).toBe('gross_amount 2501.01 ≠ unit_cost 1250.50 × units 2');
  });

  test('the product of many units is exact, with no float drift (0.10 × 3 = 0.30)', () => {
    expect(redemptionInconsistency(payload({ units: 3, unit_cost: '0.10', gross_amount: '0.30', fee_amount: '0.00', amount: '0.30' }))).toBeUndefined();
  });

  test('amounts of eighteen digits stay exact', () => {
    expect(
      redemptionInconsistency(
        payload({ units: 1, unit_cost: '999999999999999999.99', gross_amount: '999999999999999999.99', fee_amount: '0.01', amount: '999999999999999999.98' }),
      ),
    ).toBeUndefined();
  });

  test('an amount that is not gross − fee is refused', () => {
    expect(redemptionInconsistency(payload({ amount: '2251.00' }))).toBe('amount 2251.00 ≠ gross_amount 2501.00 − fee_amount 250.05');
  });

  test('a negative fee or amount is refused before any arithmetic', () => {
    expect(redemptionInconsistency(payload({ fee_amount: '-0.01', amount: '2501.01' }))).toBe('отрицательная сумма');
    expect(redemptionInconsistency(payload({ fee_amount: '2501.01', amount: '-0.01' }))).toBe('отрицательная сумма');
  });

  test('a payable that is not the provider’s own account is refused', () => {
    expect(redemptionInconsistency(payload({ payable_account_id: ledgerAccountIds.providerPayable('0b7c5a0e-5d1f-4a43-9a43-73c0000000b2') }))).toBe(
      'payable_account_id не совпадает со счётом поставщика',
    );
  });
});
