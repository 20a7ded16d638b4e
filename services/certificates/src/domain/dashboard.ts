import { Money } from '@esc/money';
import { AppError, forbidden, type Principal } from '@esc/service-kit';
import { dashboardCells, type DashboardCell } from '../data-access/dashboard-store';
import { todayIn } from './business-date';
import type { Deps } from './context';
import { monthBounds, monthOf } from './deficits';

/**
 * The region's dashboard: certificates issued and their value, spent, held and returned; the share of
 * non-state providers in delivered volume and money; the wait from the programme to the first
 * delivery; disputes and satisfaction — by month and district. The ministry reads it whole; the public
 * reads the same figures with small cells suppressed (open data).
 */

/** Fewer people than this in a cell and its figures are not published. */
export const SUPPRESS_BELOW = 5;
export const MAX_MONTHS = 36;

export interface Figures {
  certificates_issued: number | null;
  certificates_value: string | null;
  spent: string | null;
  held: string | null;
  returned: string | null;
  delivered_units: number | null;
  non_state_units: number | null;
  non_state_amount: string | null;
  non_state_share_units: number | null;
  non_state_share_amount: number | null;
  first_deliveries: number | null;
  waiting_days_avg: number | null;
  acts_resolved: number | null;
  disputes: number | null;
  dispute_share: number | null;
  ratings: number | null;
  satisfaction_avg: number | null;
  /** Groups of figures left out because too few people stand behind them. */
  suppressed: Array<'certificates' | 'acts' | 'returns' | 'waiting' | 'ratings'>;
}

export interface Dashboard {
  region_code: string;
  from: string;
  to: string;
  generated_at: string;
  suppress_below: number | null;
  months: Array<Figures & { month: string }>;
  districts: Array<Figures & { month: string; district_code: string }>;
  providers_by_type: Array<{ type: string; providers: number }> | null;
}

const round = (value: number, digits: number) => Math.round(value * 10 ** digits) / 10 ** digits;
const ratio = (part: number, whole: number) => (whole > 0 ? round(part / whole, 3) : null);
const moneyRatio = (part: string, whole: string) => {
  const w = Money.parse(whole);
  return w.isZero() ? null : round(Money.parse(part).toDecimal().div(w.toDecimal()).toNumber(), 3);
};

/** The people behind each group of figures: the count small cells are judged by. */
const GROUPS = {
  certificates: { size: (c: DashboardCell) => c.certificates_issued, fields: ['certificates_issued', 'certificates_value'] },
  acts: {
    size: (c: DashboardCell) => c.acts,
    fields: ['spent', 'held', 'delivered_units', 'non_state_units', 'non_state_amount', 'non_state_share_units', 'non_state_share_amount', 'acts_resolved', 'disputes', 'dispute_share'],
  },
  returns: { size: (c: DashboardCell) => c.returned_certificates, fields: ['returned'] },
  waiting: { size: (c: DashboardCell) => c.first_deliveries, fields: ['first_deliveries', 'waiting_days_avg'] },
  ratings: { size: (c: DashboardCell) => c.ratings, fields: ['ratings', 'satisfaction_avg'] },
} as const satisfies Record<Figures['suppressed'][number], { size: (c: DashboardCell) => number; fields: ReadonlyArray<keyof Figures> }>;
type Group = keyof typeof GROUPS;

export function figuresOf(c: DashboardCell): Figures {
  return {
    certificates_issued: c.certificates_issued,
    certificates_value: c.certificates_value,
    spent: c.spent,
    held: c.held,
    returned: c.returned,
    delivered_units: c.delivered_units,
    non_state_units: c.non_state_units,
    non_state_amount: c.non_state_amount,
    non_state_share_units: ratio(c.non_state_units, c.delivered_units),
    non_state_share_amount: moneyRatio(c.non_state_amount, c.spent),
    first_deliveries: c.first_deliveries,
    waiting_days_avg: c.first_deliveries > 0 ? round(c.waiting_days_total / c.first_deliveries, 1) : null,
    acts_resolved: c.acts_resolved,
    disputes: c.disputes,
    dispute_share: ratio(c.disputes, c.acts_resolved),
    ratings: c.ratings,
    satisfaction_avg: c.ratings > 0 ? round(c.rating_total / c.ratings, 2) : null,
    suppressed: [],
  };
}

export function sumCells(month: string, cells: DashboardCell[]): DashboardCell {
  const money = (pick: (c: DashboardCell) => string) => Money.sum(cells.map((c) => Money.parse(pick(c)))).toString();
  const int = (pick: (c: DashboardCell) => number) => cells.reduce((t, c) => t + pick(c), 0);
  return {
    month,
    district_code: '',
    certificates_issued: int((c) => c.certificates_issued),
    certificates_value: money((c) => c.certificates_value),
    spent: money((c) => c.spent),
    held: money((c) => c.held),
    returned: money((c) => c.returned),
    returned_certificates: int((c) => c.returned_certificates),
    acts: int((c) => c.acts),
    delivered_units: int((c) => c.delivered_units),
    non_state_units: int((c) => c.non_state_units),
    non_state_amount: money((c) => c.non_state_amount),
    first_deliveries: int((c) => c.first_deliveries),
    waiting_days_total: int((c) => c.waiting_days_total),
    acts_resolved: int((c) => c.acts_resolved),
    disputes: int((c) => c.disputes),
    ratings: int((c) => c.ratings),
    rating_total: int((c) => c.rating_total),
  };
}

function suppress<T extends Figures>(figures: T, group: Group): T {
  const out = { ...figures } as Record<string, unknown>;
  for (const field of GROUPS[group].fields) out[field] = null;
  return { ...(out as T), suppressed: [...figures.suppressed, group] };
}

/**
 * Open data: a group of figures with 1–4 people behind it is left out (primary suppression); when a
 * month has exactly one such district in a group, the next smallest district's group goes too, so the
 * published month total does not give the hidden one away (secondary suppression). A month total
 * itself below the threshold is left out as well.
 */
export function suppressSmallCells(cells: DashboardCell[], totals: Map<string, DashboardCell>): Pick<Dashboard, 'months' | 'districts'> {
  const small = (n: number) => n > 0 && n < SUPPRESS_BELOW;
  const districts = cells.map((c) => ({ cell: c, figures: { ...figuresOf(c), month: c.month, district_code: c.district_code } }));
  for (const group of Object.keys(GROUPS) as Group[]) {
    const size = GROUPS[group].size;
    const byMonth = new Map<string, typeof districts>();
    for (const d of districts) byMonth.set(d.cell.month, [...(byMonth.get(d.cell.month) ?? []), d]);
    for (const list of byMonth.values()) {
      const hidden = list.filter((d) => small(size(d.cell)));
      for (const d of hidden) d.figures = suppress(d.figures, group);
      if (hidden.length === 1) {
        const next = list.filter((d) => size(d.cell) > 0 && !hidden.includes(d)).sort((a, b) => size(a.cell) - size(b.cell))[0];
        if (next) next.figures = suppress(next.figures, group);
      }
    }
  }
  const months = [...totals.entries()].map(([month, total]) => {
    let figures = { ...figuresOf(total), month };
    for (const group of Object.keys(GROUPS) as Group[]) if (small(GROUPS[group].size(total))) figures = suppress(figures, group);
    return figures;
  });
  return { months, districts: districts.map((d) => d.figures) };
}

/** The ministry (admin), control (auditor) and the region's finance officers read the whole dashboard. */
export function assertReadsDashboard(p: Principal, regionCode: string): void {
  if (p.roles.includes('admin') || p.roles.includes('auditor')) return;
  if (p.roles.includes('finance') && p.regionCode === regionCode) return;
  throw forbidden('Полные показатели области доступны министерству, финансовому органу региона и контролю; открытые данные — на странице «Показатели области».', 'outside_your_region');
}

export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (let key = from; key <= to; key = `${year}-${String(month).padStart(2, '0')}`) {
    months.push(key);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

function period(deps: Deps, input: { region_code: string; from?: string; to?: string }): { from: string; to: string } {
  const to = input.to ?? monthOf(todayIn(deps, input.region_code));
  const [y, m] = to.split('-').map(Number) as [number, number];
  const from = input.from ?? `${m === 12 ? y : y - 1}-${String((m % 12) + 1).padStart(2, '0')}`;
  const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5)) - Number(from.slice(5)) + 1;
  if (months < 1 || months > MAX_MONTHS) {
    throw new AppError('validation', 'validation_failed', `Период — от 1 до ${MAX_MONTHS} месяцев, «с» не позже «по».`, {}, [
      { field: 'from', message: `период от 1 до ${MAX_MONTHS} месяцев, «с» не позже «по»` },
    ]);
  }
  return { from, to };
}

export async function regionDashboard(
  deps: Deps,
  principal: Principal,
  input: { region_code: string; from?: string; to?: string; open_data: boolean },
): Promise<Dashboard> {
  if (!input.open_data) assertReadsDashboard(principal, input.region_code);
  const { from, to } = period(deps, input);
  const cells = await dashboardCells(deps.orm.em.fork(), { regionCode: input.region_code, from: monthBounds(from).from, to: monthBounds(to).to });
  const byMonth = new Map<string, DashboardCell[]>();
  for (const c of cells) byMonth.set(c.month, [...(byMonth.get(c.month) ?? []), c]);
  // Every month of the period has its row, an empty month with zeros, so trends have no gaps.
  const totals = new Map(monthsBetween(from, to).map((month) => [month, sumCells(month, byMonth.get(month) ?? [])]));
  let providers: Dashboard['providers_by_type'] = null;
  try {
    const supply = await deps.registry.supply(input.region_code);
    const types = new Map<string, string>();
    for (const item of supply.items) for (const p of item.providers) types.set(p.id, p.type);
    const counts = new Map<string, number>();
    for (const type of types.values()) counts.set(type, (counts.get(type) ?? 0) + 1);
    providers = [...counts.entries()].map(([type, n]) => ({ type, providers: n })).sort((a, b) => b.providers - a.providers || a.type.localeCompare(b.type));
  } catch {
    // The registry's count of providers is one figure among many: the rest is still worth showing (null).
  }
  const common = { region_code: input.region_code, from, to, generated_at: deps.clock().toISOString(), providers_by_type: providers };
  if (input.open_data) return { ...common, suppress_below: SUPPRESS_BELOW, ...suppressSmallCells(cells, totals) };
  return {
    ...common,
    suppress_below: null,
    months: [...totals.entries()].map(([month, total]) => ({ ...figuresOf(total), month })),
    districts: cells.map((c) => ({ ...figuresOf(c), month: c.month, district_code: c.district_code })),
  };
}

const CSV_COLUMNS: Array<[string, keyof Figures | 'month' | 'district_code']> = [
  ['month', 'month'],
  ['district_oktmo', 'district_code'],
  ['certificates_issued', 'certificates_issued'],
  ['certificates_value_rub', 'certificates_value'],
  ['spent_rub', 'spent'],
  ['held_rub', 'held'],
  ['returned_rub', 'returned'],
  ['delivered_units', 'delivered_units'],
  ['non_state_units', 'non_state_units'],
  ['non_state_amount_rub', 'non_state_amount'],
  ['non_state_share_units', 'non_state_share_units'],
  ['non_state_share_amount', 'non_state_share_amount'],
  ['first_deliveries', 'first_deliveries'],
  ['waiting_days_avg', 'waiting_days_avg'],
  ['acts_resolved', 'acts_resolved'],
  ['disputes', 'disputes'],
  ['dispute_share', 'dispute_share'],
  ['ratings', 'ratings'],
  ['satisfaction_avg', 'satisfaction_avg'],
];

/** Open data as CSV: one row per month and district, then the region's row per month (district empty); a left-out figure is an empty cell. */
export function dashboardCsv(dashboard: Dashboard): string {
  const rows = [CSV_COLUMNS.map(([name]) => name).join(',')];
  const line = (figures: Figures & { month: string; district_code: string }) => CSV_COLUMNS.map(([, key]) => (figures[key] == null ? '' : String(figures[key]))).join(',');
  for (const d of dashboard.districts) rows.push(line(d));
  for (const m of dashboard.months) rows.push(line({ ...m, district_code: '' }));
  return `${rows.join('\r\n')}\r\n`;
}
