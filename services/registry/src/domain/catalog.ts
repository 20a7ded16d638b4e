import { Money, MoneyDecimal } from '@esc/money';
import { AppError, conflict, notFound, withTransaction, writeOutboxEvent, type EntityManager } from '@esc/service-kit';
import { REGISTRY_SCHEMA } from '../data-access/schema';
import { currentCosts as currentCostRows } from '../data-access/navigator-store';
import { pgTextArray } from '../data-access/sql';

export const SERVICE_KINDS = ['household', 'medical', 'psychological', 'pedagogical', 'labour', 'legal', 'communication', 'urgent'] as const;
export const SERVICE_FORMS = ['home', 'day_care', 'residential'] as const;
export const SERVICE_UNITS = ['hour', 'visit', 'day', 'course'] as const;
export const COEFFICIENT_KINDS = ['territory', 'recipient_category', 'form'] as const;

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
  kind: (typeof SERVICE_KINDS)[number];
  form: (typeof SERVICE_FORMS)[number];
  unit: (typeof SERVICE_UNITS)[number];
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
  factor: string;
  conditions: Record<string, unknown>;
}

const SERVICE_COLUMNS = 'code, name, kind, form, unit, standard, licence_required, description, eligibility, documents, procedure, deadlines';

export async function listServices(em: EntityManager, filter: { kind?: string; form?: string }): Promise<CatalogService[]> {
  return em.execute(
    `select ${SERVICE_COLUMNS} from registry.services
      where (?::text is null or kind = ?) and (?::text is null or form = ?) order by code`,
    [filter.kind ?? null, filter.kind ?? null, filter.form ?? null, filter.form ?? null],
  );
}

export async function findService(em: EntityManager, code: string): Promise<CatalogService | undefined> {
  const rows: CatalogService[] = await em.execute(`select ${SERVICE_COLUMNS} from registry.services where code = ?`, [code]);
  return rows[0];
}

export async function getService(em: EntityManager, code: string): Promise<CatalogService> {
  const service = await findService(em, code);
  if (!service) throw notFound('service_not_found', `Услуга с кодом ${code} не найдена в перечне.`, { service_code: code });
  return service;
}

export async function costVersions(em: EntityManager, code: string): Promise<CostVersion[]> {
  const rows: Array<{ region_code: string; valid_from: string; amount: string; reason: string | null }> = await em.execute(
    `select region_code, valid_from::text as valid_from, amount::text as amount, reason
       from registry.normative_costs where service_code = ? order by region_code, valid_from`,
    [code],
  );
  return rows.map((r) => ({ ...r, amount: Money.parse(r.amount) }));
}

export async function createService(em: EntityManager, service: ServiceInput): Promise<CatalogService> {
  if (await findService(em, service.code)) {
    throw conflict('service_exists', `Услуга с кодом ${service.code} уже есть в перечне; выберите другой код.`, { service_code: service.code });
  }
  // Without deadlines of its own a service takes the column's default, the 442-FZ deadlines.
  await em.execute(
    `insert into registry.services (${SERVICE_COLUMNS})
     values (?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?::jsonb, ?, ${service.deadlines ? '?::jsonb' : 'default'})`,
    [
      service.code,
      service.name,
      service.kind,
      service.form,
      service.unit,
      JSON.stringify(service.standard),
      service.licence_required,
      service.description ?? null,
      service.eligibility ?? null,
      JSON.stringify(service.documents ?? []),
      service.procedure ?? null,
      ...(service.deadlines ? [JSON.stringify(service.deadlines)] : []),
    ],
  );
  return getService(em, service.code);
}

/** Each service's normative cost in force on `date` in `region` (services without one are absent). */
export async function currentCosts(em: EntityManager, region: string, date: string, codes?: string[]): Promise<Map<string, CurrentCost>> {
  const rows = await currentCostRows(em, region, date, codes);
  return new Map(rows.map((r) => [r.service_code, { region_code: region, valid_from: r.valid_from, amount: Money.parse(r.amount) }]));
}

/**
 * The coefficients that may apply to a service: territory and recipient-category coefficients apply
 * to any service; a coefficient whose conditions name forms or services applies only to those.
 */
export function coefficientsFor(service: Pick<CatalogService, 'code' | 'form'>, all: Coefficient[]): Coefficient[] {
  const named = (value: unknown, own: string) => value === undefined || value === own || (Array.isArray(value) && value.includes(own));
  return all.filter((c) => named(c.conditions.form, service.form) && named(c.conditions.service_codes, service.code) && named(c.conditions.service_code, service.code));
}

export interface NewCostVersion {
  serviceCode: string;
  regionCode: string;
  validFrom: string;
  amount: Money;
  reason: string;
  actor: string;
}

/** A new price is a new version; the event lets certificates know that new issues use it. */
export async function publishCost(em: EntityManager, input: NewCostVersion): Promise<CostVersion> {
  return withTransaction(em, async (tx) => {
    await getService(tx, input.serviceCode);
    const existing: Array<{ amount: string }> = await tx.execute(
      `select amount::text as amount from registry.normative_costs where service_code = ? and region_code = ? and valid_from = ?`,
      [input.serviceCode, input.regionCode, input.validFrom],
    );
    if (existing.length) {
      throw conflict(
        'cost_version_exists',
        `Норматив для услуги ${input.serviceCode} в регионе ${input.regionCode} с ${input.validFrom} уже утверждён (${existing[0]!.amount} руб.); опубликованные версии не меняются — введите новую версию с другой датой начала действия.`,
      );
    }
    const previous = await findCost(tx, input.serviceCode, input.regionCode, input.validFrom);
    await tx.execute(
      `insert into registry.normative_costs (service_code, region_code, valid_from, amount, reason, created_by) values (?, ?, ?, ?, ?, ?)`,
      [input.serviceCode, input.regionCode, input.validFrom, input.amount.toString(), input.reason, input.actor],
    );
    await writeOutboxEvent(tx, REGISTRY_SCHEMA, 'catalog.cost_changed', {
      service_code: input.serviceCode,
      region_code: input.regionCode,
      valid_from: input.validFrom,
      amount: input.amount.toString(),
      previous_amount: previous ? previous.amount.toString() : null,
      reason: input.reason,
      changed_by: input.actor,
    });
    return { region_code: input.regionCode, valid_from: input.validFrom, amount: input.amount, reason: input.reason };
  });
}

async function findCost(em: EntityManager, code: string, region: string, date: string): Promise<CostVersion | undefined> {
  const rows: Array<{ region_code: string; valid_from: string; amount: string; reason: string | null }> = await em.execute(
    `select region_code, valid_from::text as valid_from, amount::text as amount, reason from registry.normative_costs
      where service_code = ? and region_code = ? and valid_from <= ?::date order by valid_from desc limit 1`,
    [code, region, date],
  );
  const row = rows[0];
  return row && { ...row, amount: Money.parse(row.amount) };
}

const COEFFICIENT_COLUMNS = `code, kind, name, rtrim(rtrim(factor::text, '0'), '.') as factor, conditions`;

export async function listCoefficients(em: EntityManager): Promise<Coefficient[]> {
  return em.execute(`select ${COEFFICIENT_COLUMNS} from registry.coefficients order by kind, code`);
}

export async function createCoefficient(em: EntityManager, c: Coefficient & { actor: string }): Promise<Coefficient> {
  const rows: Coefficient[] = await em.execute(
    `insert into registry.coefficients (code, kind, name, factor, conditions, created_by) values (?, ?, ?, ?, ?::jsonb, ?)
     on conflict (code) do nothing returning ${COEFFICIENT_COLUMNS}`,
    [c.code, c.kind, c.name, c.factor, JSON.stringify(c.conditions), c.actor],
  );
  if (!rows[0]) throw conflict('coefficient_exists', `Корректирующий коэффициент с кодом ${c.code} уже существует.`, { code: c.code });
  return rows[0];
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

/** Unit cost = base × Π coefficients, rounded to the kopeck once, half-up — as a certificate will use it. */
export async function unitCost(em: EntityManager, code: string, region: string, date: string, coefficientCodes: string[]): Promise<UnitCost> {
  const service = await getService(em, code);
  const cost = await findCost(em, code, region, date);
  if (!cost) {
    throw notFound(
      'cost_not_found',
      `Норматив для услуги ${code} в регионе ${region} на ${date} не утверждён: нет версии, действующей на эту дату.`,
      { service_code: code, region_code: region, date },
    );
  }
  const found: Coefficient[] = coefficientCodes.length
    ? await em.execute(`select ${COEFFICIENT_COLUMNS} from registry.coefficients where code = any(?::text[])`, [pgTextArray(coefficientCodes)])
    : [];
  const unknown = coefficientCodes.filter((c) => !found.some((f) => f.code === c));
  if (unknown.length) {
    throw new AppError('unprocessable', 'unknown_coefficient', `Неизвестные корректирующие коэффициенты: ${unknown.join(', ')}.`, { unknown });
  }
  const ordered = coefficientCodes.map((c) => found.find((f) => f.code === c)!);
  const factors = ordered.map((c) => c.factor);
  const exact = cost.amount.multiplyExact(...factors);
  return {
    service_code: code,
    region_code: region,
    date,
    unit: service.unit,
    valid_from: cost.valid_from,
    base: cost.amount,
    coefficients: ordered.map((c) => ({ code: c.code, kind: c.kind, factor: new MoneyDecimal(c.factor).toString() })),
    product_exact: exact.toFixed(),
    unit_cost: cost.amount.multiply(...factors),
    rounding: 'half_up_once',
  };
}
