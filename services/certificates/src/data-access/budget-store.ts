import { sqlOf, type EntityManager } from '@esc/service-kit';

export interface RegionalParameters {
  region_code: string;
  valid_from: string;
  subsistence_minimum: string;
  limit_coefficient: string;
  set_by: string;
  set_at: string;
}

const PARAMETER_COLUMNS = `region_code, valid_from::text as valid_from, subsistence_minimum::text as subsistence_minimum,
  limit_coefficient::text as limit_coefficient, set_by, set_at`;

/** A new version of the region's parameters; false when a version from that date exists. */
export async function insertRegionalParameters(
  em: EntityManager,
  p: { region_code: string; valid_from: string; subsistence_minimum: string; limit_coefficient: string; set_by: string },
): Promise<boolean> {
  const inserted = await sqlOf(em).run(
    `insert into certificates.regional_parameters (region_code, valid_from, subsistence_minimum, limit_coefficient, set_by) values ($1, $2, $3, $4, $5)
     on conflict do nothing`,
    [p.region_code, p.valid_from, p.subsistence_minimum, p.limit_coefficient, p.set_by],
  );
  return inserted > 0;
}

/** The version in force on `date`: the latest one that started on or before it. */
export function parametersInForce(em: EntityManager, regionCode: string, date: string): Promise<RegionalParameters | undefined> {
  return sqlOf(em).one<RegionalParameters>(
    `select ${PARAMETER_COLUMNS} from certificates.regional_parameters where region_code = $1 and valid_from <= $2 order by valid_from desc limit 1`,
    [regionCode, date],
  );
}

export function parameterVersionsOf(em: EntityManager, regionCode: string): Promise<RegionalParameters[]> {
  return sqlOf(em).rows<RegionalParameters>(`select ${PARAMETER_COLUMNS} from certificates.regional_parameters where region_code = $1 order by valid_from`, [regionCode]);
}

export interface BudgetProgrammeRow {
  id: string;
  region_code: string;
  code: string;
  name: string;
  year: number;
  allocation_account_id: string;
  created_by: string;
  created_at: string;
}

const BUDGET_PROGRAMME_COLUMNS = 'id, region_code, code, name, year, allocation_account_id, created_by, created_at';

export function findBudgetProgrammeRow(em: EntityManager, id: string): Promise<BudgetProgrammeRow | undefined> {
  return sqlOf(em).one<BudgetProgrammeRow>(`select ${BUDGET_PROGRAMME_COLUMNS} from certificates.budget_programmes where id = $1`, [id]);
}

/** Per programme of the region: what its certificates hold for unconfirmed acts and what confirmed acts paid. */
export function certificateMoneyOfRegion(em: EntityManager, regionCode: string): Promise<Array<{ budget_programme_id: string; held: string; redeemed: string }>> {
  return sqlOf(em).rows(
    `select c.budget_programme_id,
            coalesce(sum(d.amount) filter (where d.status = 'held'), 0)::numeric(20,2)::text as held,
            coalesce(sum(d.posted_amount) filter (where d.status = 'posted'), 0)::numeric(20,2)::text as redeemed
       from certificates.certificates c join certificates.deliveries d on d.certificate_id = c.id
      where c.region_code = $1
      group by c.budget_programme_id`,
    [regionCode],
  );
}

export async function budgetProgrammeIdWithCode(em: EntityManager, regionCode: string, code: string): Promise<string | undefined> {
  const row = await sqlOf(em).one<{ id: string }>(`select id from certificates.budget_programmes where region_code = $1 and code = $2`, [regionCode, code]);
  return row?.id;
}

/** Records the programme unless its id exists (a retry, or the id reused); true when this call recorded it. */
export async function insertBudgetProgrammeIfAbsent(em: EntityManager, p: Omit<BudgetProgrammeRow, 'created_at'>): Promise<boolean> {
  const inserted = await sqlOf(em).run(
    `insert into certificates.budget_programmes (id, region_code, code, name, year, allocation_account_id, created_by) values ($1, $2, $3, $4, $5, $6, $7)
     on conflict (id) do nothing`,
    [p.id, p.region_code, p.code, p.name, p.year, p.allocation_account_id, p.created_by],
  );
  return inserted > 0;
}
