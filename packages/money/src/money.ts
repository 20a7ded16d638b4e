import { Decimal } from 'decimal.js';
import { exactProduct, MoneyDecimal, toMoneyDecimal, type DecimalInput } from './decimal';
import { assertMoneyString, MAX_DECIMALS, MAX_INTEGER_DIGITS } from './pattern';

export type AllocationWeight = DecimalInput | bigint;

const LIMIT = new MoneyDecimal(10).pow(MAX_INTEGER_DIGITS);
const KOPECK_LIMIT = 10n ** BigInt(MAX_INTEGER_DIGITS + MAX_DECIMALS);
const ZERO = new MoneyDecimal(0);
const NBSP = '\u00A0';

/**
 * An immutable amount of roubles with kopecks: at most 2 decimals, |amount| < 10^18
 * (fits numeric(20,2)). Every operation that can produce fractions of a kopeck rounds
 * half-up (away from zero) exactly once, at the end.
 */
export class Money {
  private readonly amount: Decimal;

  private constructor(amount: Decimal) {
    if (!amount.isFinite() || amount.decimalPlaces() > MAX_DECIMALS) {
      throw new RangeError(`Money must be a finite amount with at most ${MAX_DECIMALS} decimals, got ${amount.toString()}`);
    }
    if (amount.abs().gte(LIMIT)) {
      throw new RangeError(`Money must be below 10^${MAX_INTEGER_DIGITS} in absolute value, got ${amount.toFixed()}`);
    }
    // Normalise -0 so that it can never print as "-0.00".
    this.amount = amount.isZero() ? ZERO : new MoneyDecimal(amount);
    Object.freeze(this);
  }

  /** Parses the canonical wire format ("123", "123.4", "-5.00"); see MONEY_PATTERN. */
  static parse(input: string): Money {
    return new Money(new MoneyDecimal(assertMoneyString(input)));
  }

  /** From a money string (same rules as parse) or a Decimal that already has at most 2 decimals. */
  static of(value: Decimal | string): Money {
    if (typeof value === 'string') return Money.parse(value);
    if (!Decimal.isDecimal(value)) throw new TypeError(`Money.of expects a string or Decimal, got ${typeof value}`);
    return new Money(value);
  }

  static zero(): Money {
    return ZERO_MONEY;
  }

  static fromKopecks(kopecks: bigint): Money {
    if (typeof kopecks !== 'bigint') throw new TypeError(`Money.fromKopecks expects a bigint, got ${typeof kopecks}`);
    if (kopecks >= KOPECK_LIMIT || kopecks <= -KOPECK_LIMIT) {
      throw new RangeError(`Money must be below 10^${MAX_INTEGER_DIGITS} in absolute value, got ${kopecks} kopecks`);
    }
    return new Money(new MoneyDecimal(kopecks).div(100));
  }

  /** Rounds to kopecks, half away from zero: 0.125 → 0.13, -0.125 → -0.13. */
  static roundHalfUp(value: Decimal): Money {
    const exact = toMoneyDecimal(value, 'Amount');
    return new Money(exact.toDecimalPlaces(MAX_DECIMALS, Decimal.ROUND_HALF_UP));
  }

  static sum(list: readonly Money[]): Money {
    let total: Decimal = ZERO;
    for (const money of list) total = total.plus(money.amount);
    return new Money(total);
  }

  static max(...values: readonly Money[]): Money {
    return pick(values, (candidate, best) => candidate.gt(best));
  }

  static min(...values: readonly Money[]): Money {
    return pick(values, (candidate, best) => candidate.lt(best));
  }

  add(other: Money): Money {
    return new Money(this.amount.plus(other.amount));
  }

  subtract(other: Money): Money {
    return new Money(this.amount.minus(other.amount));
  }

  negate(): Money {
    return new Money(this.amount.negated());
  }

  abs(): Money {
    return this.isNegative() ? this.negate() : this;
  }

  /** Exact product of the amount and all factors, not rounded. */
  multiplyExact(...factors: DecimalInput[]): Decimal {
    return exactProduct(
      this.amount,
      factors.map((factor) => toMoneyDecimal(factor, 'Factor')),
    );
  }

  /** amount × Π factors, rounded half-up to a kopeck once, at the end (never per step). */
  multiply(...factors: DecimalInput[]): Money {
    return Money.roundHalfUp(this.multiplyExact(...factors));
  }

  /** `p` percent of the amount, e.g. percent("50"), rounded half-up to a kopeck. */
  percent(p: DecimalInput): Money {
    return this.multiply(p, '0.01');
  }

  /**
   * Splits the amount into parts proportional to `weights` so that the parts add up to
   * exactly the original amount: everyone gets the floor of their share, and the kopecks
   * left over go to the largest remainders (ties: earlier part first). Negative amounts
   * are split like their absolute value, with the sign put back on each part.
   */
  allocate(weights: readonly AllocationWeight[]): Money[] {
    const scaled = toIntegerWeights(weights);
    const total = scaled.reduce((acc, weight) => acc + weight, 0n);
    if (total === 0n) throw new RangeError('Allocation weights must have a positive sum');

    const kopecks = this.toKopecks();
    const magnitude = kopecks < 0n ? -kopecks : kopecks;
    const parts = scaled.map((weight, index) => ({
      index,
      share: (magnitude * weight) / total,
      remainder: (magnitude * weight) % total,
    }));

    let leftover = magnitude - parts.reduce((acc, part) => acc + part.share, 0n);
    const byRemainder = [...parts].sort((a, b) =>
      a.remainder === b.remainder ? a.index - b.index : a.remainder > b.remainder ? -1 : 1,
    );
    // leftover < number of parts with a non-zero remainder, so zero weights never get a kopeck.
    for (const part of byRemainder) {
      if (leftover === 0n) break;
      part.share += 1n;
      leftover -= 1n;
    }

    const sign = kopecks < 0n ? -1n : 1n;
    return parts.map((part) => Money.fromKopecks(sign * part.share));
  }

  /** Splits into `n` parts differing by at most one kopeck, larger parts first. */
  allocateEvenly(n: number): Money[] {
    if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`Number of parts must be a positive integer, got ${n}`);
    return this.allocate(Array.from({ length: n }, () => 1n));
  }

  isZero(): boolean {
    return this.amount.isZero();
  }

  isNegative(): boolean {
    return this.amount.lt(0);
  }

  isPositive(): boolean {
    return this.amount.gt(0);
  }

  compare(other: Money): -1 | 0 | 1 {
    const result = this.amount.cmp(other.amount);
    return result < 0 ? -1 : result > 0 ? 1 : 0;
  }

  equals(other: Money): boolean {
    return this.compare(other) === 0;
  }

  lt(other: Money): boolean {
    return this.compare(other) < 0;
  }

  lte(other: Money): boolean {
    return this.compare(other) <= 0;
  }

  gt(other: Money): boolean {
    return this.compare(other) > 0;
  }

  gte(other: Money): boolean {
    return this.compare(other) >= 0;
  }

  toKopecks(): bigint {
    return BigInt(this.amount.times(100).toFixed(0));
  }

  toDecimal(): Decimal {
    return this.amount;
  }

  /** Canonical form with exactly two decimals: "1234.50", "-0.01", "0.00". */
  toString(): string {
    return this.amount.toFixed(MAX_DECIMALS);
  }

  toJSON(): string {
    return this.toString();
  }

  /** Russian rouble format: "1 234 567,89 ₽" with no-break spaces. */
  format(): string {
    const canonical = this.toString();
    const negative = canonical.startsWith('-');
    const [integer = '', fraction = ''] = (negative ? canonical.slice(1) : canonical).split('.');
    const grouped = integer.replace(/\B(?=(\d{3})+$)/g, NBSP);
    return `${negative ? '-' : ''}${grouped},${fraction}${NBSP}₽`;
  }
}

const ZERO_MONEY = Money.parse('0');

function pick(values: readonly Money[], better: (candidate: Money, best: Money) => boolean): Money {
  const [first, ...rest] = values;
  if (first === undefined) throw new RangeError('At least one Money value is required');
  return rest.reduce((best, candidate) => (better(candidate, best) ? candidate : best), first);
}

/** Scales decimal weights to integers by a common power of ten so allocation is exact bigint math. */
function toIntegerWeights(weights: readonly AllocationWeight[]): bigint[] {
  if (weights.length === 0) throw new RangeError('At least one allocation weight is required');
  const decimals = weights.map((weight) => {
    const value = toMoneyDecimal(weight, 'Allocation weight');
    if (value.lt(0)) throw new RangeError(`Allocation weights must be non-negative, got ${value.toFixed()}`);
    return value;
  });
  const scale = decimals.reduce((max, value) => Math.max(max, value.decimalPlaces()), 0);
  return decimals.map((value) => BigInt(value.toFixed(scale).replace('.', '')));
}
