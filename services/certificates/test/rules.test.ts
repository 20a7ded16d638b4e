import { Money } from '@esc/money';
import { calculateFees, chargeForUnits, partialPostAmount, perCapitaIncome } from '../src/domain/fees';
import { isValidSnils } from '../src/domain/snils';
import { addWorkingDays } from '../src/domain/working-days';

const m = (s: string) => Money.parse(s);

describe('SNILS check number', () => {
  test.each([
    ['11223344595', true],
    ['12345678964', true],
    ['11223344596', false],
    ['12345678900', false],
    ['1122334459', false],
    ['00100199800', true],
  ])('When the SNILS is %s, then valid is %s', (snils, valid) => {
    expect(isValidSnils(snils)).toBe(valid);
  });
});

describe('Working-day deadlines (442-FZ)', () => {
  test('When an assessment opens on Friday 2026-11-20, then the decision is due in 5 working days, on Friday 2026-11-27', () => {
    expect(addWorkingDays('2026-11-20', 5)).toBe('2026-11-27');
  });
  test('When the count crosses the 4 November holiday, then it is skipped', () => {
    expect(addWorkingDays('2026-11-02', 5)).toBe('2026-11-10');
  });
  test('When an assessment opens on 2026-12-29, then the New Year holidays push the 10-working-day programme deadline to Thursday 2027-01-21', () => {
    // 30 Dec is day 1; 31 Dec and 1–8 Jan are off; 11–15 and 18–21 Jan are days 2–10.
    expect(addWorkingDays('2026-12-29', 10)).toBe('2027-01-21');
  });
});

describe('442-FZ fee, worked examples with every rounding', () => {
  test('When income is at or below the limit, then services are free', () => {
    // L = 1.5 × 15 000.00 = 22 500.00; I = 22 500.00 ≤ L.
    const fees = calculateFees(m('22500.00'), m('15000.00'), '1.5', [{ form: 'home', monthlyCost: m('6248.00'), months: 6 }]);
    expect(fees).toMatchObject({ rule: 'free', limit_income: '22500.00', total_fee: '0.00', line_fees: ['0.00'] });
  });

  test('When income is 30 000.00 and home care costs 6 248.00 a month, then the fee is 50 % × (30 000 − 22 500) = 3 750.00 a month', () => {
    const fees = calculateFees(m('30000.00'), m('15000.00'), '1.5', [{ form: 'home', monthlyCost: m('6248.00'), months: 6 }]);
    expect(fees.monthly_cap_home_and_day_care).toEqual({ exact: '3750', rounded: '3750.00' });
    expect(fees.line_fees).toEqual(['22500.00']);
    expect(fees.months[0]).toMatchObject({ cost: '6248.00', fee: '3750.00' });
  });

  test('When the cap has half a kopeck and two lines share it, then it rounds half-up once and splits by largest remainder', () => {
    // Household: own 30 000.00 + 16 666.66 = 46 666.66 over 2 persons = 23 333.33 exactly.
    const income = perCapitaIncome({ ownIncome: '30000.00', household: [{ monthly_income: '16666.66' }] });
    expect(income).toMatchObject({ total: '46666.66', persons: 2, exact: '23333.33' });
    expect(income.rounded.toString()).toBe('23333.33');
    // I − L = 833.33; 50 % = 416.665 → 416.67 (half-up).
    const fees = calculateFees(income.rounded, m('15000.00'), '1.5', [
      { form: 'home', monthlyCost: m('6248.00'), months: 6 }, // 312.40 × 20 h
      { form: 'home', monthlyCost: m('3817.20'), months: 3 }, // 954.30 × 4 visits
    ]);
    expect(fees.monthly_cap_home_and_day_care).toEqual({ exact: '416.665', rounded: '416.67' });
    // Months 1–3: 41 667 kopecks × 624 800 / 1 006 520 = 25 864 r 908 320 and × 381 720 / 1 006 520 = 15 802 r 98 200;
    // the one kopeck left goes to the larger remainder: 258.65 + 158.02.
    expect(fees.months[0]).toMatchObject({ cost: '10065.20', fee: '416.67', per_line: ['258.65', '158.02'] });
    // Months 4–6: only household care, the whole 416.67.
    expect(fees.months[3]).toMatchObject({ cost: '6248.00', fee: '416.67', per_line: ['416.67'] });
    expect(fees.line_fees).toEqual(['2025.96', '474.06']);
    expect(fees.total_fee).toBe('2500.02');
  });

  test('When care is residential, then the fee is at most 75 % of income and never more than the cost', () => {
    const fees = calculateFees(m('25000.01'), m('15000.00'), '1.5', [{ form: 'residential', monthlyCost: m('40000.00'), months: 2 }]);
    // 75 % × 25 000.01 = 18 750.0075 → 18 750.01.
    expect(fees.monthly_cap_residential).toEqual({ exact: '18750.0075', rounded: '18750.01' });
    expect(fees.line_fees).toEqual(['37500.02']);
    const cheap = calculateFees(m('25000.01'), m('15000.00'), '1.5', [{ form: 'residential', monthlyCost: m('1000.00'), months: 2 }]);
    expect(cheap.line_fees).toEqual(['2000.00']);
  });
});

describe('Charging a line unit by unit', () => {
  test('When a line of 35 462.04 over 120 units is delivered in any pattern with voids, then it charges exactly its value', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);
    for (let run = 0; run < 200; run++) {
      const line = { netAmount: m('35462.04'), volume: 120, unitsConsumed: 0, amountConsumed: Money.zero() };
      while (line.unitsConsumed < line.volume) {
        const units = Math.min(line.volume - line.unitsConsumed, 1 + Math.floor(random() * 8));
        const charge = chargeForUnits(line, units);
        expect(charge.isNegative()).toBe(false);
        line.unitsConsumed += units;
        line.amountConsumed = line.amountConsumed.add(charge);
        if (random() < 0.2) {
          // A disputed act gives its units and money back.
          line.unitsConsumed -= units;
          line.amountConsumed = line.amountConsumed.subtract(charge);
        }
      }
      expect(line.amountConsumed.toString()).toBe('35462.04');
    }
  });

  test('When 2 of 3 units held for 937.20 are confirmed, then 624.80 is posted', () => {
    expect(partialPostAmount(m('937.20'), 3, 2).toString()).toBe('624.80');
    // 100.00 × 1/3 = 33.333… → 33.33
    expect(partialPostAmount(m('100.00'), 3, 1).toString()).toBe('33.33');
  });
});
