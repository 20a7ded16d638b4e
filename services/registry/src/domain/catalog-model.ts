import { AppError, notFound } from '@esc/service-kit';
import { Money, MoneyDecimal } from '@esc/money';

export const SERVICE_KINDS = ['household', 'medical', 'psychological', 'pedagogical', 'labour', 'legal', 'communication', 'urgent'] as const;
export const SERVICE_FORMS = ['home', 'day_care', 'residential'] as const;
export const SERVICE_UNITS = ['hour', 'visit', 'day', 'course'] as const;
export const COEFFICIENT_KINDS = ['territory', 'recipient_category', 'form'] as const;
export type ServiceKind = (typeof SERVICE_KINDS)[number];
export type ServiceForm = (typeof SERVICE_FORMS)[number];
export type ServiceUnit = (typeof SERVICE_UNITS)[number];

export interface ServiceStandard {
  content: string;
  staff_qualification: string;
  equipment?: string;
  max_volume_per_month: number;
}

export interface ServiceDeadlines {
  assessment_working_days: number;
  programme_working_days: number;
  text: string;
}

/** What the navigator tells citizens about a service, in plain Russian. */
export interface NavigatorTexts {
  description: string | null;
  eligibility: string | null;
  documents: string[];
  procedure: string | null;
  deadlines: ServiceDeadlines;
}

export interface CatalogService extends NavigatorTexts {
  code: string;
  name: string;
  kind: ServiceKind;
  form: ServiceForm;
  unit: ServiceUnit;
  standard: ServiceStandard;
  licence_required: boolean;
}

export type ServiceInput = Omit<CatalogService, keyof NavigatorTexts> & Partial<NavigatorTexts>;

/** The normative cost per unit in force on a date in a region, before coefficients. */
export interface CurrentCost {
  region_code: string;
  amount: Money;
  valid_from: string;
}

export interface CostVersion {
  region_code: string;
  valid_from: string;
  amount: Money;
  reason: string | null;
}

export interface Coefficient {
  code: string;
  kind: (typeof COEFFICIENT_KINDS)[number];
  name: string;
  /** The factor as a decimal string without trailing zeros ("1.15"). */
  factor: string;
  conditions: Record<string, unknown>;
}

/** A service as a public read shows it: with today's cost in the asked region and the coefficients that may apply. */
export interface PricedService {
  service: CatalogService;
  currentCost: CurrentCost | undefined;
  coefficients: Coefficient[];
}

/**
 * The coefficients that may apply to a service: territory and recipient-category coefficients apply
 * to any service; a coefficient whose conditions name forms or services applies only to those.
 */
export function coefficientsFor(service: Pick<CatalogService, 'code' | 'form'>, all: Coefficient[]): Coefficient[] {
  const named = (value: unknown, own: string) => value === undefined || value === own || (Array.isArray(value) && value.includes(own));
  return all.filter((c) => named(c.conditions.form, service.form) && named(c.conditions.service_codes, service.code) && named(c.conditions.service_code, service.code));
}

export interface UnitCost {
  service_code: string;
  region_code: string;
  date: string;
  unit: string;
  valid_from: string;
  base: Money;
  coefficients: Array<{ code: string; kind: string; factor: string }>;
  product_exact: string;
  unit_cost: Money;
  rounding: 'half_up_once';
}

/**
 * Unit cost = base × Π coefficients (in the order asked), rounded to the kopeck once, half-up — as a
 * certificate will use it. `found` are the coefficients of `asked` that exist; any other code is refused.
 */
export function unitCostOf(
  service: Pick<CatalogService, 'code' | 'unit'>,
  request: { region: string; date: string; coefficients: string[] },
  cost: CostVersion | undefined,
  found: Coefficient[],
): UnitCost {
  if (!cost) {
    throw notFound(
      'cost_not_found',
      `Норматив для услуги ${service.code} в регионе ${request.region} на ${request.date} не утверждён: нет версии, действующей на эту дату.`,
      { service_code: service.code, region_code: request.region, date: request.date },
    );
  }
  const unknown = request.coefficients.filter((c) => !found.some((f) => f.code === c));
  if (unknown.length) {
    throw new AppError('unprocessable', 'unknown_coefficient', `Неизвестные корректирующие коэффициенты: ${unknown.join(', ')}.`, { unknown });
  }
  const ordered = request.coefficients.map((c) => found.find((f) => f.code === c)!);
  const factors = ordered.map((c) => c.factor);
  return {
    service_code: service.code,
    region_code: request.region,
    date: request.date,
    unit: service.unit,
    valid_from: cost.valid_from,
    base: cost.amount,
    coefficients: ordered.map((c) => ({ code: c.code, kind: c.kind, factor: new MoneyDecimal(c.factor).toString() })),
    product_exact: cost.amount.multiplyExact(...factors).toFixed(),
    unit_cost: cost.amount.multiply(...factors),
    rounding: 'half_up_once',
  };
}
