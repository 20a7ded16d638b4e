import { iso } from './time';
import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { derivedTransferId, ledgerAccountIds, type LedgerTransferResult } from '@esc/ledger-client';
import { AppError, conflict, notFound, unprocessable, withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import { assertFinanceOf, isCaseworkerOf, readsEverything } from './access';
import type { Deps } from './context';

export interface RegionalParameters {
  region_code: string;
  valid_from: string;
  subsistence_minimum: string;
  limit_coefficient: string;
  set_by: string;
  set_at: Date;
}

const PARAMETER_COLUMNS = `region_code, valid_from::text as valid_from, subsistence_minimum, limit_coefficient::text as limit_coefficient, set_by, set_at`;

/** Regional parameters are versioned by date: a new version never changes what was in force before it. */
export async function setRegionalParameters(
  em: EntityManager,
  principal: Principal,
  regionCode: string,
  input: { valid_from: string; subsistence_minimum: string; limit_coefficient: string },
): Promise<RegionalParameters> {
  assertFinanceOf(principal, regionCode);
  return withTransaction(em, async (tx) => {
    const inserted: unknown[] = await tx.execute(
      `insert into certificates.regional_parameters (region_code, valid_from, subsistence_minimum, limit_coefficient, set_by) values (?, ?, ?, ?, ?)
       on conflict do nothing returning region_code`,
      [regionCode, input.valid_from, input.subsistence_minimum, input.limit_coefficient, principal.subject],
    );
    if (inserted.length === 0) {
      throw conflict('parameters_version_exists', `Параметры региона ${regionCode} с ${input.valid_from} уже заданы; новая редакция вводится с другой даты.`);
    }
    return (await parametersAt(tx, regionCode, input.valid_from))!;
  });
}

export async function parametersAt(em: EntityManager, regionCode: string, date: string): Promise<RegionalParameters | undefined> {
  const rows: RegionalParameters[] = await em.execute(
    `select ${PARAMETER_COLUMNS} from certificates.regional_parameters where region_code = ? and valid_from <= ? order by valid_from desc limit 1`,
    [regionCode, date],
  );
  return rows[0];
}

export async function requireParametersAt(em: EntityManager, regionCode: string, date: string): Promise<RegionalParameters> {
  const found = await parametersAt(em, regionCode, date);
  if (!found) {
    throw unprocessable(
      'regional_parameters_missing',
      `Для региона ${regionCode} на ${date} не заданы величина прожиточного минимума и коэффициент предельной величины дохода; их вводит финансовый орган региона.`,
    );
  }
  return found;
}

export async function listRegionalParameters(em: EntityManager, regionCode: string): Promise<RegionalParameters[]> {
  return em.execute(`select ${PARAMETER_COLUMNS} from certificates.regional_parameters where region_code = ? order by valid_from`, [regionCode]);
}

export interface BudgetProgrammeRow {
  id: string;
  region_code: string;
  code: string;
  name: string;
  year: number;
  allocation_account_id: string;
  created_by: string;
  created_at: Date;
}

export async function findBudgetProgramme(em: EntityManager, id: string): Promise<BudgetProgrammeRow> {
  const rows: BudgetProgrammeRow[] = await em.execute(`select * from certificates.budget_programmes where id = ?`, [id]);
  if (!rows[0]) throw notFound('budget_programme_not_found', `Бюджетная программа ${id} не найдена.`);
  return rows[0];
}

/** Opens the programme's allocation account (and the region's treasury source) in the ledger, then records the programme. */
export async function createBudgetProgramme(
  deps: Deps,
  principal: Principal,
  input: { id?: string; region_code: string; code: string; name: string; year: number },
): Promise<BudgetProgrammeRow> {
  assertFinanceOf(principal, input.region_code);
  const id = input.id ?? randomUUID();
  const em = deps.orm.em.fork();
  const [clash]: Array<{ id: string }> = await em.execute(`select id from certificates.budget_programmes where region_code = ? and code = ?`, [
    input.region_code,
    input.code,
  ]);
  if (clash && clash.id !== id) {
    throw conflict('budget_programme_exists', `Программа с кодом ${input.code} в регионе ${input.region_code} уже заведена.`, { budget_programme_id: clash.id });
  }
  if (clash) return findBudgetProgramme(em, id);
  await deps.ledger.createAccount({
    id: ledgerAccountIds.treasurySource(input.region_code),
    ledger: 'RUB',
    code: 'treasury_source',
    owner: { type: 'region', id: input.region_code },
    region_code: input.region_code,
  });
  const allocation = ledgerAccountIds.budgetAllocation(id);
  await deps.ledger.createAccount({
    id: allocation,
    ledger: 'RUB',
    code: 'budget_allocation',
    owner: { type: 'budget_programme', id },
    region_code: input.region_code,
    metadata: { code: input.code, year: input.year },
  });
  await em.execute(
    `insert into certificates.budget_programmes (id, region_code, code, name, year, allocation_account_id, created_by) values (?, ?, ?, ?, ?, ?, ?)
     on conflict (id) do nothing`,
    [id, input.region_code, input.code, input.name, input.year, allocation, principal.subject],
  );
  return findBudgetProgramme(em, id);
}

/** Limits of budget obligations reach the programme: treasury source → allocation, idempotent by the funding id. */
export async function fundBudgetProgramme(
  deps: Deps,
  principal: Principal,
  programmeId: string,
  input: { id: string; amount: string; reference?: string | null },
): Promise<LedgerTransferResult> {
  const em = deps.orm.em.fork();
  const programme = await findBudgetProgramme(em, programmeId);
  assertFinanceOf(principal, programme.region_code);
  const result = await deps.ledger.transfer({
    id: derivedTransferId(input.id, 'fund_programme'),
    debit_account_id: ledgerAccountIds.treasurySource(programme.region_code),
    credit_account_id: programme.allocation_account_id,
    amount: Money.parse(input.amount).toString(),
    code: 'fund_programme',
    reference: input.reference ?? `ЛБО ${programme.code}`,
  });
  if (result.status === 'failed') {
    throw new AppError('conflict', result.code ?? 'funding_failed', `Леджер не принял финансирование: ${result.detail ?? result.code}.`);
  }
  return result;
}

export async function readBudgetProgramme(deps: Deps, principal: Principal, id: string) {
  const programme = await findBudgetProgramme(deps.orm.em.fork(), id);
  // Case workers issue against the programme, so they see what is left in it.
  if (!readsEverything(principal) && !isCaseworkerOf(principal, programme.region_code)) assertFinanceOf(principal, programme.region_code);
  const account = await deps.ledger.getAccount(programme.allocation_account_id);
  return {
    ...budgetProgrammeView(programme),
    funded: account?.credits_posted ?? '0.00',
    committed: account?.debits_posted ?? '0.00',
    available: account ? Money.parse(account.credits_posted).subtract(Money.parse(account.debits_posted)).toString() : '0.00',
  };
}

export function budgetProgrammeView(p: BudgetProgrammeRow) {
  return {
    id: p.id,
    region_code: p.region_code,
    code: p.code,
    name: p.name,
    year: p.year,
    allocation_account_id: p.allocation_account_id,
    created_at: iso(p.created_at),
  };
}
