import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { Coefficient } from '../domain/catalog-model';
import { CatalogServiceEntity, NormativeCostEntity, type CatalogServiceRow, type NormativeCostRow } from './entities';

/** The catalog: services (entities), their normative cost versions (entities) and the correcting coefficients. */

export function findCatalogService(em: EntityManager, code: string): Promise<CatalogServiceRow | null> {
  return em.findOne(CatalogServiceEntity, { code });
}

export function catalogServices(em: EntityManager, filter: { kind?: string; form?: string }): Promise<CatalogServiceRow[]> {
  return em.find(
    CatalogServiceEntity,
    { ...(filter.kind ? { kind: filter.kind as CatalogServiceRow['kind'] } : {}), ...(filter.form ? { form: filter.form as CatalogServiceRow['form'] } : {}) },
    { orderBy: { code: 'asc' } },
  );
}

export type NewCatalogService = Omit<CatalogServiceRow, 'deadlines' | 'created_at'> & { deadlines?: CatalogServiceRow['deadlines'] };

/** Persisted at the next flush; a service without deadlines gets the column's default back. */
export function addCatalogService(em: EntityManager, service: NewCatalogService): CatalogServiceRow {
  const row = em.create(CatalogServiceEntity, service);
  em.persist(row);
  return row;
}

/** Codes among `codes` that the catalog has. */
export async function knownServiceCodes(em: EntityManager, codes: readonly string[]): Promise<string[]> {
  const rows = await sqlOf(em).rows<{ code: string }>(`select code from registry.services where code = any($1::text[])`, [codes]);
  return rows.map((r) => r.code);
}

/** Services among `codes` that need a licence, by code. */
export function servicesNeedingLicence(em: EntityManager, codes: readonly string[]): Promise<Array<{ code: string; name: string }>> {
  return sqlOf(em).rows(`select code, name from registry.services where code = any($1::text[]) and licence_required order by code`, [codes]);
}

export function costVersionsOf(em: EntityManager, serviceCode: string): Promise<NormativeCostRow[]> {
  return em.find(NormativeCostEntity, { service_code: serviceCode }, { orderBy: { region_code: 'asc', valid_from: 'asc' } });
}

export function costVersionFrom(em: EntityManager, serviceCode: string, region: string, validFrom: string): Promise<NormativeCostRow | null> {
  return em.findOne(NormativeCostEntity, { service_code: serviceCode, region_code: region, valid_from: validFrom });
}

/** The version in force on `date`: the latest from on or before it. */
export function costVersionInForce(em: EntityManager, serviceCode: string, region: string, date: string): Promise<NormativeCostRow | null> {
  return em.findOne(NormativeCostEntity, { service_code: serviceCode, region_code: region, valid_from: { $lte: date } }, { orderBy: { valid_from: 'desc' } });
}

export function addCostVersion(em: EntityManager, version: Omit<NormativeCostRow, 'id' | 'created_at'>): NormativeCostRow {
  const row = em.create(NormativeCostEntity, version);
  em.persist(row);
  return row;
}

export interface CurrentCostRow {
  service_code: string;
  valid_from: string;
  amount: string;
}

/** Each service's (of `codes`, when given) latest normative cost from on or before `date` in `region`. */
export function currentCostRows(em: EntityManager, region: string, date: string, codes?: readonly string[]): Promise<CurrentCostRow[]> {
  return sqlOf(em).rows(
    `select distinct on (service_code) service_code, valid_from::text as valid_from, amount::text as amount
       from registry.normative_costs
      where region_code = $1 and valid_from <= $2::date and ($3::text[] is null or service_code = any($3::text[]))
      order by service_code, valid_from desc`,
    [region, date, codes ?? null],
  );
}

const COEFFICIENT_COLUMNS = `code, kind, name, rtrim(rtrim(factor::text, '0'), '.') as factor, conditions`;

/** A coefficient's factor on a date: its newest version from on or before it, else the factor it was created with. */
const COEFFICIENTS_ON = `select c.code, c.kind, c.name, rtrim(rtrim(coalesce(v.factor, c.factor)::text, '0'), '.') as factor, c.conditions
    from registry.coefficients c
    left join lateral (select factor from registry.coefficient_versions v where v.code = c.code and v.valid_from <= $1::date order by v.valid_from desc limit 1) v on true`;

export function allCoefficients(em: EntityManager, date: string): Promise<Coefficient[]> {
  return sqlOf(em).rows(`${COEFFICIENTS_ON} order by c.kind, c.code`, [date]);
}

export function coefficientsByCode(em: EntityManager, codes: readonly string[], date: string): Promise<Coefficient[]> {
  return sqlOf(em).rows(`${COEFFICIENTS_ON} where c.code = any($2::text[])`, [date, codes]);
}

/** Inserts unless the code exists; answers the stored coefficient, or undefined when the code was taken. */
export function insertCoefficient(em: EntityManager, c: Coefficient & { actor: string }): Promise<Coefficient | undefined> {
  return sqlOf(em).one(
    `insert into registry.coefficients (code, kind, name, factor, conditions, created_by) values ($1, $2, $3, $4, $5::jsonb, $6)
     on conflict (code) do nothing returning ${COEFFICIENT_COLUMNS}`,
    [c.code, c.kind, c.name, c.factor, JSON.stringify(c.conditions), c.actor],
  );
}
