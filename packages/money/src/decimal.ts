import { Decimal } from 'decimal.js';

/**
 * Private Decimal constructor for money arithmetic. A clone, so that nobody's
 * `Decimal.set(...)` elsewhere can change how we round.
 */
export const MoneyDecimal = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });

// decimal.js always computes a full product and only then rounds it to `precision`,
// so a huge precision makes `times` exact at no extra cost. Used for products only:
// division with this constructor would try to produce a billion digits.
const ExactDecimal = Decimal.clone({ precision: 1e9, rounding: Decimal.ROUND_HALF_UP });

/** A coefficient, volume, percentage or weight. JS numbers are deliberately not accepted. */
export type DecimalInput = string | Decimal;

const PLAIN_DECIMAL = /^-?[0-9]+(\.[0-9]+)?$/;

/** Strict conversion: plain decimal strings or finite Decimals only (no "1e3", "0x10", numbers). */
export function toMoneyDecimal(value: DecimalInput | bigint, what: string): Decimal {
  if (typeof value === 'bigint') return new MoneyDecimal(value);
  if (typeof value === 'string') {
    if (!PLAIN_DECIMAL.test(value)) {
      throw new RangeError(`${what} must be a plain decimal string like "1.155", got ${JSON.stringify(value)}`);
    }
    return new MoneyDecimal(value);
  }
  if (Decimal.isDecimal(value)) {
    if (!value.isFinite()) throw new RangeError(`${what} must be finite, got ${value.toString()}`);
    // Copying a Decimal keeps all its digits; precision only applies to later operations.
    return new MoneyDecimal(value);
  }
  throw new TypeError(`${what} must be a string or Decimal, got ${typeof value}`);
}

/** Exact product of all operands, returned as a MoneyDecimal (no rounding at any step). */
export function exactProduct(first: Decimal, rest: readonly Decimal[]): Decimal {
  let product = new ExactDecimal(first);
  for (const factor of rest) product = product.times(factor);
  return new MoneyDecimal(product);
}
