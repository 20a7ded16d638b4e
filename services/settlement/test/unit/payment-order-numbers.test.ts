import { PAYMENT_ORDERS_A_YEAR, paymentOrderNumber, paymentOrderNumbers } from '../../src/domain/payment-orders';
import { codeThrown } from './principals';

describe('payment order numbers: six digits, never ending in 000', () => {
  test('the k-th number of the year skips every multiple of 1000', () => {
    expect([1, 2, 999, 1000, 1001, 1998, 1999].map(paymentOrderNumber)).toEqual([1, 2, 999, 1001, 1002, 1999, 2001]);
    expect(paymentOrderNumber(PAYMENT_ORDERS_A_YEAR)).toBe(999_999);
    const first = Array.from({ length: 5000 }, (_, i) => paymentOrderNumber(i + 1));
    expect(first.filter((n) => n % 1000 === 0)).toEqual([]);
    expect(new Set(first).size).toBe(5000);
    expect(first.every((n, i) => i === 0 || n > first[i - 1]!)).toBe(true);
  });

  test('the numbers taken are the last ones of the counter, in order; past the year’s last number the export is refused', () => {
    expect(paymentOrderNumbers(3, 3, '03221643730000006800', 2026)).toEqual([1, 2, 3]);
    expect(paymentOrderNumbers(1002, 4, '03221643730000006800', 2026)).toEqual([999, 1001, 1002, 1003]);
    expect(codeThrown(() => paymentOrderNumbers(PAYMENT_ORDERS_A_YEAR + 1, 2, '03221643730000006800', 2026))).toBe('payment_order_numbers_exhausted');
  });
});
