import { Money, MoneyDecimal } from '@esc/money';

export type ServiceForm = 'home' | 'day_care' | 'residential';

export interface IncomeInput {
  ownIncome: string;
  household: Array<{ monthly_income: string }>;
}

/** Average per-capita monthly income: everyone's income over the number of people, rounded half-up once. */
export function perCapitaIncome(input: IncomeInput) {
  const incomes = [Money.parse(input.ownIncome), ...input.household.map((m) => Money.parse(m.monthly_income))];
  const total = Money.sum(incomes);
  const exact = total.toDecimal().div(incomes.length);
  return { total: total.toString(), persons: incomes.length, exact: exact.toString(), rounded: Money.roundHalfUp(exact) };
}

export interface FeeLine {
  form: ServiceForm;
  /** unit cost × volume a month: exact, since the unit cost is in kopecks and the volume whole. */
  monthlyCost: Money;
  months: number;
}

export interface FeeCalculation {
  rule: 'free' | 'capped';
  per_capita_income: string;
  subsistence_minimum: string;
  limit_coefficient: string;
  limit_income_exact: string;
  limit_income: string;
  /** 50 % × (I − L) for home and day care; 75 % × I for residential: the most a month may cost the person. */
  monthly_cap_home_and_day_care: { exact: string; rounded: string };
  monthly_cap_residential: { exact: string; rounded: string };
  months: Array<{ month: number; category: 'home_and_day_care' | 'residential'; cost: string; fee: string; per_line: string[] }>;
  line_fees: string[];
  total_fee: string;
}

/**
 * The 442-FZ fee (arts. 31–32). L = coefficient × subsistence minimum. At or below L the services are
 * free. Above it, each month the person pays at most 50 % × (I − L) for home and day care and at most
 * 75 % × I for residential care, never more than the month's services cost. A month's fee is split over
 * that month's lines in proportion to their cost, kopecks by largest remainder, so the line fees add up
 * to the monthly fee exactly.
 */
export function calculateFees(income: Money, subsistenceMinimum: Money, limitCoefficient: string, lines: FeeLine[]): FeeCalculation {
  const limitExact = subsistenceMinimum.multiplyExact(limitCoefficient);
  const limit = Money.roundHalfUp(limitExact);
  const overLimit = income.subtract(limit);
  const homeCapExact = overLimit.isPositive() ? overLimit.toDecimal().times('0.5') : new MoneyDecimal(0);
  const residentialCapExact = income.toDecimal().times('0.75');
  const homeCap = Money.roundHalfUp(homeCapExact);
  const residentialCap = Money.roundHalfUp(residentialCapExact);
  const base = {
    per_capita_income: income.toString(),
    subsistence_minimum: subsistenceMinimum.toString(),
    limit_coefficient: new MoneyDecimal(limitCoefficient).toString(),
    limit_income_exact: limitExact.toString(),
    limit_income: limit.toString(),
    monthly_cap_home_and_day_care: { exact: homeCapExact.toString(), rounded: homeCap.toString() },
    monthly_cap_residential: { exact: residentialCapExact.toString(), rounded: residentialCap.toString() },
  };
  const lineFees = lines.map(() => Money.zero());
  if (income.lte(limit)) {
    return { rule: 'free', ...base, months: [], line_fees: lineFees.map(String), total_fee: '0.00' };
  }

  const months: FeeCalculation['months'] = [];
  const longest = Math.max(0, ...lines.map((l) => l.months));
  const categories = [
    { category: 'home_and_day_care' as const, cap: homeCap, forms: ['home', 'day_care'] },
    { category: 'residential' as const, cap: residentialCap, forms: ['residential'] },
  ];
  for (let month = 1; month <= longest; month++) {
    for (const { category, cap, forms } of categories) {
      const active = lines.map((line, index) => ({ line, index })).filter(({ line }) => forms.includes(line.form) && line.months >= month);
      if (active.length === 0) continue;
      const cost = Money.sum(active.map(({ line }) => line.monthlyCost));
      const fee = Money.min(cost, cap);
      const parts = fee.isZero() || cost.isZero() ? active.map(() => Money.zero()) : fee.allocate(active.map(({ line }) => line.monthlyCost.toKopecks()));
      active.forEach(({ index }, i) => (lineFees[index] = lineFees[index]!.add(parts[i]!)));
      months.push({ month, category, cost: cost.toString(), fee: fee.toString(), per_line: parts.map(String) });
    }
  }
  return { rule: 'capped', ...base, months, line_fees: lineFees.map(String), total_fee: Money.sum(lineFees).toString() };
}

/**
 * What `units` more units charge the certificate line: the line's value spread over its volume with
 * cumulative rounding, round(net × (consumed + units) / volume) − already charged. Whatever the order
 * of deliveries, voids and partial confirmations, a fully delivered line charges exactly its value.
 */
export function chargeForUnits(line: { netAmount: Money; volume: number; unitsConsumed: number; amountConsumed: Money }, units: number): Money {
  const target = Money.roundHalfUp(line.netAmount.toDecimal().times(line.unitsConsumed + units).div(line.volume));
  const charge = target.subtract(line.amountConsumed);
  const left = line.netAmount.subtract(line.amountConsumed);
  return Money.max(Money.zero(), Money.min(charge, left));
}

/** A partial confirmation posts the confirmed share of the hold, rounded half-up; the rest returns to the certificate. */
export function partialPostAmount(heldAmount: Money, units: number, confirmedUnits: number): Money {
  if (confirmedUnits === units) return heldAmount;
  return Money.roundHalfUp(heldAmount.toDecimal().times(confirmedUnits).div(units));
}
