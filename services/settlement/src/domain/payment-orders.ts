import { conflict } from '@esc/service-kit';

/**
 * Payment order numbers are unique per payer account and year. A number has at most six digits and
 * never ends in 000 (banks refuse such a number), so a year has 999 × 1000 of them.
 */
export const PAYMENT_ORDERS_A_YEAR = 999_000;

/** The k-th number (from 1) a payer account uses in a year: 1…999, 1001…1999, 2001… */
export function paymentOrderNumber(k: number): number {
  if (!Number.isInteger(k) || k < 1 || k > PAYMENT_ORDERS_A_YEAR) throw new RangeError(`no payment order number ${k}`);
  return k + Math.floor((k - 1) / 999);
}

/**
 * Numbers for `count` payment orders when the account has used `issued` numbers in the year, these
 * included (the counter after taking them): the last `count` of them, in order. Refused when the year's
 * numbers run out; the transaction that took them is rolled back.
 */
export function paymentOrderNumbers(issued: number, count: number, payerAccount: string, year: number): number[] {
  if (issued > PAYMENT_ORDERS_A_YEAR) {
    throw conflict(
      'payment_order_numbers_exhausted',
      `По счёту ${payerAccount} в ${year} году израсходованы все номера платёжных поручений (шесть цифр, не оканчивающиеся на 000). Файл не сформирован; обратитесь в поддержку, чтобы согласовать с банком нумерацию.`,
      { payer_account: payerAccount, year },
    );
  }
  return Array.from({ length: count }, (_, i) => paymentOrderNumber(issued - count + 1 + i));
}
