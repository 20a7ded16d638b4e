import { Money } from '@esc/money';
import { businessDateTime, conflict, notFound, withTransaction, writeOutboxEvent, type EntityManager, type Principal } from '@esc/service-kit';
import * as store from '../data-access/catalog-store';
import type { CatalogServiceRow, NormativeCostRow } from '../data-access/entities';
import { REGISTRY_SCHEMA } from '../data-access/schema';
import { todayIn } from './clock';
import { assertDecidesForRegion } from './provider-model';
import type { Deps } from './deps';
import { audit } from '../data-access/audit-store';
import {
  coefficientsFor,
  unitCostOf,
  type CatalogService,
  type Coefficient,
  type CostVersion,
  type CurrentCost,
  type PricedService,
  type ServiceInput,
  type UnitCost,
} from './catalog-model';

function serviceOf(row: CatalogServiceRow): CatalogService {
  return {
    code: row.code,
    name: row.name,
    kind: row.kind,
    form: row.form,
    unit: row.unit,
    standard: row.standard,
    licence_required: row.licence_required,
    description: row.description,
    eligibility: row.eligibility,
    documents: row.documents,
    procedure: row.procedure,
    deadlines: row.deadlines,
  };
}

const costVersionOf = (row: NormativeCostRow): CostVersion => ({
  region_code: row.region_code,
  valid_from: row.valid_from,
  amount: Money.parse(row.amount),
  reason: row.reason,
});

async function serviceRow(em: EntityManager, code: string): Promise<CatalogServiceRow> {
  const row = await store.findCatalogService(em, code);
  if (!row) throw notFound('service_not_found', `Услуга с кодом ${code} не найдена в перечне.`, { service_code: code });
  return row;
}

/** Each service's normative cost in force on `date` in `region` (services without one are absent). */
async function currentCosts(em: EntityManager, region: string, date: string, codes?: string[]): Promise<Map<string, CurrentCost>> {
  const rows = await store.currentCostRows(em, region, date, codes);
  return new Map(rows.map((r) => [r.service_code, { region_code: region, valid_from: r.valid_from, amount: Money.parse(r.amount) }]));
}

export async function listCatalogServices(deps: Deps, _principal: Principal, input: { kind?: string; form?: string; region: string }): Promise<PricedService[]> {
  const em = deps.orm.em.fork();
  const services = (await store.catalogServices(em, input)).map(serviceOf);
  const costs = await currentCosts(em, input.region, todayIn(deps, input.region, deps.now()));
  const coefficients = await store.allCoefficients(em, todayIn(deps, input.region, deps.now()));
  return services.map((service) => ({ service, currentCost: costs.get(service.code), coefficients: coefficientsFor(service, coefficients) }));
}

export async function getCatalogService(deps: Deps, _principal: Principal, input: { code: string; region: string }): Promise<PricedService & { costs: CostVersion[] }> {
  const em = deps.orm.em.fork();
  const service = serviceOf(await serviceRow(em, input.code));
  const costs = await currentCosts(em, input.region, todayIn(deps, input.region, deps.now()), [input.code]);
  const coefficients = coefficientsFor(service, await store.allCoefficients(em, todayIn(deps, input.region, deps.now())));
  return { service, costs: (await store.costVersionsOf(em, input.code)).map(costVersionOf), currentCost: costs.get(input.code), coefficients };
}

/** Unit cost = base × Π coefficients, rounded to the kopeck once, half-up; on today's date unless one is asked. */
export async function getUnitCost(deps: Deps, _principal: Principal, input: { code: string; region: string; date?: string; coefficients: string[] }): Promise<UnitCost> {
  const em = deps.orm.em.fork();
  const date = input.date ?? todayIn(deps, input.region, deps.now());
  const service = await serviceRow(em, input.code);
  const cost = await store.costVersionInForce(em, input.code, input.region, date);
  const found = cost && input.coefficients.length ? await store.coefficientsByCode(em, input.coefficients, date) : [];
  return unitCostOf(service, { region: input.region, date, coefficients: input.coefficients }, cost ? costVersionOf(cost) : undefined, found);
}

export async function createService(deps: Deps, _principal: Principal, input: ServiceInput): Promise<CatalogService> {
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    if (await store.findCatalogService(tx, input.code)) {
      throw conflict('service_exists', `Услуга с кодом ${input.code} уже есть в перечне; выберите другой код.`, { service_code: input.code });
    }
    const row = store.addCatalogService(tx, {
      code: input.code,
      name: input.name,
      kind: input.kind,
      form: input.form,
      unit: input.unit,
      standard: input.standard,
      licence_required: input.licence_required,
      description: input.description ?? null,
      eligibility: input.eligibility ?? null,
      documents: input.documents ?? [],
      procedure: input.procedure ?? null,
      ...(input.deadlines ? { deadlines: input.deadlines } : {}),
    });
    await tx.flush();
    return serviceOf(row);
  });
}

export interface PublishCostInput {
  serviceCode: string;
  regionCode: string;
  validFrom: string;
  amount: Money;
  reason: string;
}

/** A new price is a new version; the event lets certificates know that new issues use it. */
export async function publishCost(deps: Deps, principal: Principal, input: PublishCostInput): Promise<CostVersion> {
  assertDecidesForRegion(principal, input.regionCode);
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    await serviceRow(tx, input.serviceCode);
    const existing = await store.costVersionFrom(tx, input.serviceCode, input.regionCode, input.validFrom);
    if (existing) {
      throw conflict(
        'cost_version_exists',
        `Норматив для услуги ${input.serviceCode} в регионе ${input.regionCode} с ${input.validFrom} уже утверждён (${existing.amount} руб.); опубликованные версии не меняются — введите новую версию с другой датой начала действия.`,
      );
    }
    const previous = await store.costVersionInForce(tx, input.serviceCode, input.regionCode, input.validFrom);
    store.addCostVersion(tx, {
      service_code: input.serviceCode,
      region_code: input.regionCode,
      valid_from: input.validFrom,
      amount: input.amount.toString(),
      reason: input.reason,
      created_by: principal.subject,
    });
    await writeOutboxEvent(tx, REGISTRY_SCHEMA, 'catalog.cost_changed', {
      service_code: input.serviceCode,
      region_code: input.regionCode,
      valid_from: input.validFrom,
      amount: input.amount.toString(),
      previous_amount: previous ? Money.parse(previous.amount).toString() : null,
      reason: input.reason,
      changed_by: principal.subject,
    });
    await audit(tx, principal, {
      action: 'cost_version.published',
      object_type: 'service_cost',
      object_id: `${input.serviceCode}/${input.regionCode}/${input.validFrom}`,
      before: previous ? { amount: Money.parse(previous.amount).toString(), valid_from: previous.valid_from } : null,
      after: { amount: input.amount.toString(), valid_from: input.validFrom, reason: input.reason },
    });
    return { region_code: input.regionCode, valid_from: input.validFrom, amount: input.amount, reason: input.reason };
  });
}

export async function listCoefficients(deps: Deps, _principal: Principal, _input: Record<string, never> = {}): Promise<Coefficient[]> {
  // The coefficients are one catalog for every region: their versions in force are read on Moscow's date.
  return store.allCoefficients(deps.orm.em.fork(), businessDateTime(deps.now(), 'Europe/Moscow').date);
}

export async function createCoefficient(deps: Deps, principal: Principal, input: Coefficient): Promise<Coefficient> {
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const created = await store.insertCoefficient(tx, { ...input, actor: principal.subject });
    if (!created) throw conflict('coefficient_exists', `Корректирующий коэффициент с кодом ${input.code} уже существует.`, { code: input.code });
    await audit(tx, principal, { action: 'coefficient.published', object_type: 'coefficient', object_id: input.code, after: created });
    return created;
  });
}
