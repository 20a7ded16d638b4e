import { Decimal } from 'decimal.js';
import { MONEY_PATTERN, Money, MoneyDecimal, MoneyFormatError, isMoneyString, type MoneyFormatReason } from '../src';

const NBSP = '\u00A0';
const m = (s: string): Money => Money.parse(s);
const strings = (list: readonly Money[]): string[] => list.map(String);

/** Deterministic PRNG (mulberry32) so property checks are reproducible. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randomKopecks(random: () => number): bigint {
  // Spread magnitudes from 1 kopeck up to ~10^17 roubles.
  const digits = 1 + Math.floor(random() * 19);
  let value = 0n;
  for (let i = 0; i < digits; i++) value = value * 10n + BigInt(Math.floor(random() * 10));
  return random() < 0.3 ? -value : value;
}

function expectFormatError(input: unknown, reason: MoneyFormatReason): void {
  let caught: unknown;
  try {
    Money.parse(input as string);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(MoneyFormatError);
  expect(caught).toBeInstanceOf(Error);
  expect((caught as MoneyFormatError).reason).toBe(reason);
  expect((caught as MoneyFormatError).name).toBe('MoneyFormatError');
}

describe('Money.parse', () => {
  it.each([
    ['123', '123.00'],
    ['123.4', '123.40'],
    ['123.45', '123.45'],
    ['-5.00', '-5.00'],
    ['0.01', '0.01'],
    ['0', '0.00'],
    ['-0', '0.00'],
    ['-0.00', '0.00'],
    ['999999999999999999.99', '999999999999999999.99'],
    ['-999999999999999999.99', '-999999999999999999.99'],
  ])('When parsing %j, then the canonical string is %j', (input, canonical) => {
    expect(m(input).toString()).toBe(canonical);
  });

  it.each([
    ['', 'format'],
    [' ', 'format'],
    [' 1', 'format'],
    ['1 ', 'format'],
    ['1 000', 'format'],
    ['1e3', 'format'],
    ['1E3', 'format'],
    ['1,5', 'format'],
    ['+1', 'format'],
    ['0x10', 'format'],
    ['.5', 'format'],
    ['5.', 'format'],
    ['-', 'format'],
    ['--1', 'format'],
    ['-.5', 'format'],
    ['007', 'format'],
    ['00', 'format'],
    ['01.50', 'format'],
    ['NaN', 'format'],
    ['Infinity', 'format'],
    ['-Infinity', 'format'],
    ['1.2.3', 'format'],
    ['１２３', 'format'],
    ['1.234', 'too_many_decimals'],
    ['0.001', 'too_many_decimals'],
    ['-5.000', 'too_many_decimals'],
    ['1000000000000000000', 'too_large'],
    ['-1000000000000000000', 'too_large'],
    ['1000000000000000000.00', 'too_large'],
    ['123456789012345678901234567890', 'too_large'],
  ] as const)('When parsing %j, then it is rejected with reason %s', (input, reason) => {
    expectFormatError(input, reason);
  });

  it.each([[123], [1.5], [null], [undefined], [{}], [10n], [new Decimal('1.5')]])(
    'When parsing the non-string %p, then it is rejected with reason not_a_string',
    (input) => {
      expectFormatError(input, 'not_a_string');
    },
  );

  it('When a string is checked against MONEY_PATTERN, then parse agrees with the pattern', () => {
    const pattern = new RegExp(MONEY_PATTERN);
    const samples = [
      '0', '-0', '0.0', '0.00', '1', '12.3', '12.34', '12.345', '007', '.5', '5.', '+1', '1e3', '',
      '999999999999999999', '999999999999999999.99', '1000000000000000000', '-1', '-0.01', 'abc', '1,5',
    ];
    for (const sample of samples) {
      const accepted = (() => {
        try {
          Money.parse(sample);
          return true;
        } catch {
          return false;
        }
      })();
      expect({ sample, accepted }).toEqual({ sample, accepted: pattern.test(sample) });
      expect(isMoneyString(sample)).toBe(pattern.test(sample));
    }
  });

  it('When isMoneyString gets a non-string, then it returns false', () => {
    expect(isMoneyString(12.5)).toBe(false);
    expect(isMoneyString(null)).toBe(false);
    expect(isMoneyString(new Decimal('1'))).toBe(false);
  });

  it('When random kopeck amounts are printed and parsed back, then nothing changes', () => {
    const random = seededRandom(42);
    for (let i = 0; i < 3000; i++) {
      const kopecks = randomKopecks(random);
      const money = Money.fromKopecks(kopecks);
      expect(Money.parse(money.toString()).toKopecks()).toBe(kopecks);
      expect(isMoneyString(money.toString())).toBe(true);
    }
  });
});

describe('Money construction', () => {
  it('When converting to and from kopecks, then values are exact', () => {
    expect(Money.fromKopecks(123456n).toString()).toBe('1234.56');
    expect(Money.fromKopecks(-1n).toString()).toBe('-0.01');
    expect(Money.fromKopecks(0n).toString()).toBe('0.00');
    expect(m('-5.07').toKopecks()).toBe(-507n);
    expect(m('999999999999999999.99').toKopecks()).toBe(99999999999999999999n);
  });

  it('When kopecks are out of the numeric(20,2) range, then fromKopecks throws RangeError', () => {
    expect(() => Money.fromKopecks(10n ** 20n)).toThrow(RangeError);
    expect(() => Money.fromKopecks(-(10n ** 20n))).toThrow(RangeError);
  });

  it('When Money.zero is used, then it is "0.00" and isZero', () => {
    expect(Money.zero().toString()).toBe('0.00');
    expect(Money.zero().isZero()).toBe(true);
    expect(Money.zero().equals(m('0'))).toBe(true);
  });

  it('When Money.of gets a Decimal with at most 2 decimals, then it is accepted', () => {
    expect(Money.of(new Decimal('12.5')).toString()).toBe('12.50');
    expect(Money.of(new MoneyDecimal('-0.01')).toString()).toBe('-0.01');
    expect(Money.of(new Decimal('1.230000')).toString()).toBe('1.23');
    expect(Money.of('7.10').toString()).toBe('7.10');
  });

  it('When Money.of gets a Decimal with more than 2 decimals or a non-finite one, then it throws RangeError', () => {
    expect(() => Money.of(new Decimal('0.125'))).toThrow(RangeError);
    expect(() => Money.of(new Decimal(NaN))).toThrow(RangeError);
    expect(() => Money.of(new Decimal(Infinity))).toThrow(RangeError);
    expect(() => Money.of(new Decimal('1e18'))).toThrow(RangeError);
  });

  it('When Money.of gets a bad string, then it throws MoneyFormatError like parse', () => {
    expect(() => Money.of('1.234')).toThrow(MoneyFormatError);
  });

  it('When a JS number is passed, then it is rejected by the types and at runtime', () => {
    // @ts-expect-error numbers are not money
    expect(() => Money.of(1.5)).toThrow(TypeError);
    // @ts-expect-error numbers are not money
    expect(() => Money.fromKopecks(150)).toThrow(TypeError);
    // @ts-expect-error numbers are not coefficients
    expect(() => m('1.00').multiply(1.1)).toThrow(TypeError);
    // @ts-expect-error numbers are not percentages
    expect(() => m('1.00').percent(50)).toThrow(TypeError);
  });

  it('When a Money is created, then it cannot be mutated', () => {
    const money = m('1.00');
    expect(Object.isFrozen(money)).toBe(true);
  });

  it('When two Money values are compared with toEqual, then equal amounts are equal and different ones are not', () => {
    expect(m('1.5')).toEqual(m('1.50'));
    expect(m('1.5')).not.toEqual(m('1.51'));
  });
});

describe('Money arithmetic', () => {
  it('When adding 0.1 and 0.2, then the result is exactly 0.30', () => {
    const sum = m('0.1').add(m('0.2'));
    expect(sum.toString()).toBe('0.30');
    expect(sum.equals(m('0.3'))).toBe(true);
  });

  it('When subtracting, negating and taking abs, then results are exact and zero is never negative', () => {
    expect(m('10.00').subtract(m('10.01')).toString()).toBe('-0.01');
    expect(m('5.5').negate().toString()).toBe('-5.50');
    expect(m('-5.5').abs().toString()).toBe('5.50');
    expect(m('0').negate().toString()).toBe('0.00');
    expect(m('1.10').subtract(m('1.1')).toString()).toBe('0.00');
  });

  it('When a sum leaves the numeric(20,2) range, then it throws RangeError', () => {
    expect(() => m('999999999999999999.99').add(m('0.01'))).toThrow(RangeError);
  });

  it('When summing a list, then the total is exact, and an empty list sums to zero', () => {
    expect(Money.sum([m('0.1'), m('0.2'), m('-0.05')]).toString()).toBe('0.25');
    expect(Money.sum(Array.from({ length: 10 }, () => m('0.1'))).toString()).toBe('1.00');
    expect(Money.sum([]).toString()).toBe('0.00');
  });

  it('When comparing, then sign predicates and orderings are consistent', () => {
    expect(m('1.00').compare(m('2.00'))).toBe(-1);
    expect(m('2.00').compare(m('2'))).toBe(0);
    expect(m('-1').compare(m('-2'))).toBe(1);
    expect(m('1').lt(m('1.01'))).toBe(true);
    expect(m('1').lte(m('1.00'))).toBe(true);
    expect(m('1').gt(m('1.00'))).toBe(false);
    expect(m('1').gte(m('0.99'))).toBe(true);
    expect(m('-0.01').isNegative()).toBe(true);
    expect(m('0.01').isPositive()).toBe(true);
    expect(m('0').isPositive() || m('0').isNegative()).toBe(false);
  });

  it('When taking max and min, then the extreme value is returned, and no values throws', () => {
    expect(Money.max(m('1'), m('-3'), m('2.5')).toString()).toBe('2.50');
    expect(Money.min(m('1'), m('-3'), m('2.5')).toString()).toBe('-3.00');
    expect(() => Money.max()).toThrow(RangeError);
  });

  it('When random amounts are added and subtracted, then results match bigint kopeck arithmetic', () => {
    const random = seededRandom(7);
    for (let i = 0; i < 3000; i++) {
      const a = randomKopecks(random) / 10n;
      const b = randomKopecks(random) / 10n;
      expect(Money.fromKopecks(a).add(Money.fromKopecks(b)).toKopecks()).toBe(a + b);
      expect(Money.fromKopecks(a).subtract(Money.fromKopecks(b)).toKopecks()).toBe(a - b);
      expect(Money.fromKopecks(a).compare(Money.fromKopecks(b))).toBe(a < b ? -1 : a > b ? 1 : 0);
    }
  });
});

describe('Money rounding', () => {
  it.each([
    ['0.005', '0.01'],
    ['-0.005', '-0.01'],
    ['0.0049999999', '0.00'],
    ['-0.0049999999', '0.00'],
    ['0.015', '0.02'],
    ['-0.015', '-0.02'],
    ['0.125', '0.13'],
    ['-0.125', '-0.13'],
    ['1.005', '1.01'],
    ['2.675', '2.68'],
    ['-2.675', '-2.68'],
    ['0.0050000000000000000000000000000000000001', '0.01'],
    ['1.994999', '1.99'],
    ['1.995', '2.00'],
  ])('When rounding %s half-up, then the result is %s', (input, expected) => {
    expect(Money.roundHalfUp(new Decimal(input)).toString()).toBe(expected);
  });

  it('When global Decimal settings are changed by someone else, then Money still rounds half-up to kopecks', () => {
    const saved = { precision: Decimal.precision, rounding: Decimal.rounding };
    Decimal.set({ precision: 3, rounding: Decimal.ROUND_DOWN });
    try {
      expect(m('1234.56').multiply('1.005').toString()).toBe('1240.73');
      expect(Money.roundHalfUp(new Decimal('0.125')).toString()).toBe('0.13');
    } finally {
      Decimal.set(saved);
    }
  });

  it('When Money is used, then the global Decimal configuration is left untouched', () => {
    m('1').multiply('1.5').percent('10');
    expect(Decimal.precision).toBe(20);
    expect(MoneyDecimal.precision).toBe(40);
    expect(MoneyDecimal.rounding).toBe(Decimal.ROUND_HALF_UP);
  });
});

describe('Money.multiply', () => {
  it('When multiplying 100.00 by 1.155 twice, then the result is 133.40', () => {
    expect(m('100.00').multiply('1.155', '1.155').toString()).toBe('133.40');
    expect(m('100.00').multiplyExact('1.155', '1.155').toString()).toBe('133.4025');
  });

  it('When multiplying by several coefficients, then it rounds once at the end, not after each step', () => {
    const base = m('33.33');
    const stepwise = base.multiply('1.155').multiply('1.155');
    const once = base.multiply('1.155', '1.155');
    expect(base.multiplyExact('1.155', '1.155').toString()).toBe('44.46305325');
    expect(once.toString()).toBe('44.46');
    expect(stepwise.toString()).toBe('44.47');

    expect(m('0.10').multiply('1.15', '1.15').toString()).toBe('0.13');
    expect(m('0.10').multiply('1.15').multiply('1.15').toString()).toBe('0.14');
  });

  it('When factors are Decimals, volumes or negative, then the product is exact before rounding', () => {
    expect(m('1250.50').multiply(new Decimal('3'), '0.85').toString()).toBe('3188.78');
    expect(m('10.00').multiply('-1').toString()).toBe('-10.00');
    expect(m('10.00').multiply().toString()).toBe('10.00');
  });

  it('When the product has more digits than the Decimal precision, then multiplyExact still keeps them all', () => {
    const factor = '1.' + '3'.repeat(30);
    const exact = m('999999999999999.99').multiplyExact(factor, factor);
    expect(exact.sd()).toBeGreaterThan(40);
    // Cross-check with bigint arithmetic on the digits scaled by 10^(2 + 30 + 30).
    const scaledFactor = BigInt(factor.replace('.', ''));
    const product = 99999999999999999n * scaledFactor * scaledFactor;
    expect(exact.toFixed(62).replace('.', '')).toBe(product.toString());
  });

  it('When a product rounds to minus zero, then it is "0.00"', () => {
    const result = m('0.01').multiply('-0.1');
    expect(result.toString()).toBe('0.00');
    expect(result.isNegative()).toBe(false);
  });

  it('When a factor is not a plain decimal string, then it throws RangeError', () => {
    expect(() => m('1').multiply('1e3')).toThrow(RangeError);
    expect(() => m('1').multiply('0x10')).toThrow(RangeError);
    expect(() => m('1').multiply('')).toThrow(RangeError);
    expect(() => m('1').multiply(new Decimal(NaN))).toThrow(RangeError);
  });

  it('When the product leaves the numeric(20,2) range, then it throws RangeError', () => {
    expect(() => m('999999999999999999.99').multiply('2')).toThrow(RangeError);
  });
});

describe('Money.percent', () => {
  it.each([
    ['100.00', '50', '50.00'],
    ['100.01', '50', '50.01'],
    ['-100.01', '50', '-50.01'],
    ['0.04', '12.5', '0.01'],
    ['0.03', '12.5', '0.00'],
    ['1234.56', '0', '0.00'],
    ['1234.56', '100', '1234.56'],
    ['200.00', '150', '300.00'],
    ['999.99', '13', '130.00'],
  ])('When taking %s × %s%%, then the result is %s', (amount, p, expected) => {
    expect(m(amount).percent(p).toString()).toBe(expected);
  });

  it('When the percentage is a Decimal, then it is accepted', () => {
    expect(m('80.00').percent(new Decimal('33.3')).toString()).toBe('26.64');
  });
});

describe('Money.allocate', () => {
  it('When allocating 100.00 over 3 equal parts, then the first part gets the extra kopeck', () => {
    expect(strings(m('100.00').allocate(['1', '1', '1']))).toEqual(['33.34', '33.33', '33.33']);
    expect(strings(m('100.00').allocateEvenly(3))).toEqual(['33.34', '33.33', '33.33']);
  });

  it('When allocating 0.01 over 3 parts, then only the first part gets it', () => {
    expect(strings(m('0.01').allocateEvenly(3))).toEqual(['0.01', '0.00', '0.00']);
  });

  it('When some weights are zero, then those parts get nothing', () => {
    expect(strings(m('100.00').allocate([0n, 1n, 0n, 2n]))).toEqual(['0.00', '33.33', '0.00', '66.67']);
    expect(strings(m('0.01').allocate(['0', '0', '1']))).toEqual(['0.00', '0.00', '0.01']);
  });

  it('When allocating a negative amount, then parts mirror the positive allocation', () => {
    expect(strings(m('-100.00').allocateEvenly(3))).toEqual(['-33.34', '-33.33', '-33.33']);
    expect(strings(m('-0.05').allocate(['1', '2']))).toEqual(['-0.02', '-0.03']);
  });

  it('When remainders differ, then the largest remainders get the leftover kopecks', () => {
    // Exact shares: 0.5, 0.3, 0.2 of 0.07 → 0.035, 0.021, 0.014.
    expect(strings(m('0.07').allocate(['0.5', '0.3', '0.2']))).toEqual(['0.04', '0.02', '0.01']);
    // Exact shares: 1/6, 2/6, 3/6 of 0.10 → 0.0166, 0.0333, 0.05.
    expect(strings(m('0.10').allocate([1n, 2n, 3n]))).toEqual(['0.02', '0.03', '0.05']);
  });

  it('When weights mix bigint, strings and Decimals with different scales, then shares are proportional', () => {
    expect(strings(m('1000.00').allocate([1n, '0.5', new Decimal('0.25'), '0.250']))).toEqual([
      '500.00', '250.00', '125.00', '125.00',
    ]);
  });

  it('When allocating zero, then every part is zero', () => {
    expect(strings(m('0').allocate(['1', '2']))).toEqual(['0.00', '0.00']);
  });

  it('When weights are invalid, then allocate throws RangeError', () => {
    expect(() => m('1').allocate([])).toThrow(RangeError);
    expect(() => m('1').allocate(['0', '0'])).toThrow(RangeError);
    expect(() => m('1').allocate(['1', '-1'])).toThrow(RangeError);
    expect(() => m('1').allocate([-1n, 2n])).toThrow(RangeError);
    expect(() => m('1').allocate([new Decimal(Infinity)])).toThrow(RangeError);
    expect(() => m('1').allocate(['1e3'])).toThrow(RangeError);
    expect(() => m('1').allocateEvenly(0)).toThrow(RangeError);
    expect(() => m('1').allocateEvenly(1.5)).toThrow(RangeError);
  });

  it('When allocating random amounts over random weights, then parts always sum to the original and stay within a kopeck of the exact share', () => {
    const random = seededRandom(20240601);
    for (let i = 0; i < 3000; i++) {
      const kopecks = randomKopecks(random);
      const amount = Money.fromKopecks(kopecks);
      const count = 1 + Math.floor(random() * 12);
      const weights = Array.from({ length: count }, () => {
        const roll = random();
        if (roll < 0.2) return '0';
        if (roll < 0.6) return BigInt(Math.floor(random() * 1000));
        return (random() * 100).toFixed(1 + Math.floor(random() * 6));
      });
      if (weights.every((w) => new Decimal(w.toString()).isZero())) weights.push('1');

      const parts = amount.allocate(weights);
      const totalWeight = weights.reduce<Decimal>((acc, w) => acc.plus(w.toString()), new MoneyDecimal(0));
      const violations = parts.filter((part, index) => {
        const weight = new MoneyDecimal((weights[index] ?? 0).toString());
        const exactShare = amount.toDecimal().times(weight).div(totalWeight);
        return (
          part.toDecimal().minus(exactShare).abs().gte('0.01') ||
          (weight.isZero() && !part.isZero()) ||
          (!part.isZero() && part.isNegative() !== amount.isNegative())
        );
      });
      expect({ amount: amount.toString(), weights: weights.map(String), violations: strings(violations) }).toEqual({
        amount: amount.toString(),
        weights: weights.map(String),
        violations: [],
      });
      expect(parts).toHaveLength(weights.length);
      expect(Money.sum(parts).toKopecks()).toBe(kopecks);
      expect(strings(amount.negate().allocate(weights))).toEqual(strings(parts.map((p) => p.negate())));
    }
  });
});

describe('Money output', () => {
  it('When serialising, then toString and toJSON give exactly two decimals', () => {
    expect(m('1234.5').toString()).toBe('1234.50');
    expect(`${m('7')}`).toBe('7.00');
    expect(JSON.stringify({ price: m('1234.5') })).toBe('{"price":"1234.50"}');
    expect(m('1234.5').toDecimal().equals(new Decimal('1234.5'))).toBe(true);
  });

  it.each([
    ['0', `0,00${NBSP}₽`],
    ['-0.00', `0,00${NBSP}₽`],
    ['0.01', `0,01${NBSP}₽`],
    ['-0.01', `-0,01${NBSP}₽`],
    ['5', `5,00${NBSP}₽`],
    ['999.99', `999,99${NBSP}₽`],
    ['1000', `1${NBSP}000,00${NBSP}₽`],
    ['-1000', `-1${NBSP}000,00${NBSP}₽`],
    ['1234567.89', `1${NBSP}234${NBSP}567,89${NBSP}₽`],
    ['-1234567.89', `-1${NBSP}234${NBSP}567,89${NBSP}₽`],
    ['123456.7', `123${NBSP}456,70${NBSP}₽`],
    ['999999999999999999.99', `999${NBSP}999${NBSP}999${NBSP}999${NBSP}999${NBSP}999,99${NBSP}₽`],
  ])('When formatting %s, then it reads %j', (input, expected) => {
    expect(m(input).format()).toBe(expected);
  });

  it('When formatting, then the exact expected characters are used', () => {
    expect(m('-1234567.89').format()).toBe('-1\u00A0234\u00A0567,89\u00A0\u20BD');
  });
});
