import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { derivedTransferId, ledgerAccountIds, LedgerRequestError, type LedgerAccount, type LedgerTransferResult } from '@esc/ledger-client';
import { AppError, conflict, notFound, unprocessable, withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import * as store from '../data-access/budget-store';
import type { BudgetProgrammeRow, RegionalParameters } from '../data-access/budget-store';
import { assertFinanceOf, isCaseworkerOf, readsEverything } from './access';
import type { Deps } from './context';

export type { BudgetProgrammeRow, RegionalParameters };

/** Regional parameters are versioned by date: a new version never changes what was in force before it. */
export async function setRegionalParameters(
  deps: Deps,
  principal: Principal,
  input: { region_code: string; valid_from: string; subsistence_minimum: string; limit_coefficient: string },
): Promise<RegionalParameters> {
  assertFinanceOf(principal, input.region_code);
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const inserted = await store.insertRegionalParameters(tx, { ...input, set_by: principal.subject });
    if (!inserted) {
      throw conflict('parameters_version_exists', `Параметры региона ${input.region_code} с ${input.valid_from} уже заданы; новая редакция вводится с другой даты.`);
    }
    return (await store.parametersInForce(tx, input.region_code, input.valid_from))!;
  });
}

export function parametersAt(em: EntityManager, regionCode: string, date: string): Promise<RegionalParameters | undefined> {
  return store.parametersInForce(em, regionCode, date);
}

export async function requireParametersAt(em: EntityManager, regionCode: string, date: string): Promise<RegionalParameters> {
  const found = await store.parametersInForce(em, regionCode, date);
  if (!found) {
    throw unprocessable(
      'regional_parameters_missing',
      `Для региона ${regionCode} на ${date} не заданы величина прожиточного минимума и коэффициент предельной величины дохода; их вводит финансовый орган региона.`,
    );
  }
  return found;
}

/** Every version of a region's parameters, oldest first; they are public. */
export function listRegionalParameters(deps: Deps, _principal: Principal, input: { region_code: string }): Promise<RegionalParameters[]> {
  return store.parameterVersionsOf(deps.orm.em.fork(), input.region_code);
}

export async function findBudgetProgramme(em: EntityManager, id: string): Promise<BudgetProgrammeRow> {
  const programme = await store.findBudgetProgrammeRow(em, id);
  if (!programme) throw notFound('budget_programme_not_found', `Бюджетная программа ${id} не найдена.`);
  return programme;
}

const budgetProgrammeConflict = (id: string, detail: string) =>
  conflict('budget_programme_conflict', `Идентификатор бюджетной программы ${id} уже занят: ${detail} Для новой программы выберите новый идентификатор.`, {
    budget_programme_id: id,
  });

/**
 * Records the programme and opens its allocation account (and the region's treasury source) in the
 * ledger, in one transaction: if the ledger refuses, the row is rolled back with it. Idempotent by
 * `id` and `code`; the same `id` with other fields is 409 budget_programme_conflict.
 */
export async function createBudgetProgramme(
  deps: Deps,
  principal: Principal,
  input: { id?: string; region_code: string; code: string; name: string; year: number },
): Promise<BudgetProgrammeRow> {
  assertFinanceOf(principal, input.region_code);
  const id = input.id ?? randomUUID();
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const clash = await store.budgetProgrammeIdWithCode(tx, input.region_code, input.code);
    if (clash && clash !== id) {
      throw conflict('budget_programme_exists', `Программа с кодом ${input.code} в регионе ${input.region_code} уже заведена.`, { budget_programme_id: clash });
    }
    if (clash) return findBudgetProgramme(tx, id);
    const allocation = ledgerAccountIds.budgetAllocation(id);
    const recorded = await store.insertBudgetProgrammeIfAbsent(tx, {
      id,
      region_code: input.region_code,
      code: input.code,
      name: input.name,
      year: input.year,
      allocation_account_id: allocation,
      created_by: principal.subject,
    });
    if (!recorded) {
      // The id is taken by a programme with another code (the same code returned above).
      const existing = await findBudgetProgramme(tx, id);
      throw budgetProgrammeConflict(id, `так заведена программа с кодом ${existing.code} в регионе ${existing.region_code}.`);
    }
    try {
      await deps.ledger.createAccount({
        id: ledgerAccountIds.treasurySource(input.region_code),
        ledger: 'RUB',
        code: 'treasury_source',
        owner: { type: 'region', id: input.region_code },
        region_code: input.region_code,
      });
      await deps.ledger.createAccount({
        id: allocation,
        ledger: 'RUB',
        code: 'budget_allocation',
        owner: { type: 'budget_programme', id },
        region_code: input.region_code,
        metadata: { code: input.code, year: input.year },
      });
    } catch (err) {
      if (err instanceof LedgerRequestError && err.status === 409) {
        throw budgetProgrammeConflict(id, 'в леджере уже открыт счёт этой программы с другими кодом, годом или регионом.');
      }
      throw err;
    }
    return findBudgetProgramme(tx, id);
  });
}

/** Limits of budget obligations reach the programme: treasury source → allocation, idempotent by the funding id. */
export async function fundBudgetProgramme(
  deps: Deps,
  principal: Principal,
  input: { budget_programme_id: string; id: string; amount: string; reference?: string | null },
): Promise<LedgerTransferResult> {
  const programme = await findBudgetProgramme(deps.orm.em.fork(), input.budget_programme_id);
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

export interface BudgetProgrammeBalance {
  programme: BudgetProgrammeRow;
  funded: string;
  committed: string;
  available: string;
}

/** What the allocation account says: credited (funded), debited by issued certificates (committed) and what is left. */
export function allocationBalance(account: Pick<LedgerAccount, 'credits_posted' | 'debits_posted'> | undefined): Omit<BudgetProgrammeBalance, 'programme'> {
  if (!account) return { funded: '0.00', committed: '0.00', available: '0.00' };
  return {
    funded: account.credits_posted,
    committed: account.debits_posted,
    available: Money.parse(account.credits_posted).subtract(Money.parse(account.debits_posted)).toString(),
  };
}

export async function readBudgetProgramme(deps: Deps, principal: Principal, input: { id: string }): Promise<BudgetProgrammeBalance> {
  const programme = await findBudgetProgramme(deps.orm.em.fork(), input.id);
  // Case workers issue against the programme, so they see what is left in it.
  if (!readsEverything(principal) && !isCaseworkerOf(principal, programme.region_code)) assertFinanceOf(principal, programme.region_code);
  const account = await deps.ledger.getAccount(programme.allocation_account_id);
  return { programme, ...allocationBalance(account) };
}

export interface BudgetProgrammeAllocation extends BudgetProgrammeBalance {
  held: string;
  redeemed: string;
  ledger_balance: string;
}

/** The region's programmes, each with what its allocation account says in the ledger and what its certificates hold and paid. */
export async function listBudgetProgrammes(deps: Deps, principal: Principal, input: { region_code: string }): Promise<BudgetProgrammeAllocation[]> {
  if (!readsEverything(principal)) assertFinanceOf(principal, input.region_code);
  const em = deps.orm.em.fork();
  const programmes = await store.budgetProgrammesOfRegion(em, input.region_code);
  const money = new Map((await store.certificateMoneyOfRegion(em, input.region_code)).map((m) => [m.budget_programme_id, m]));
  return Promise.all(
    programmes.map(async (programme) => {
      const account = await deps.ledger.getAccount(programme.allocation_account_id);
      const m = money.get(programme.id);
      return {
        programme,
        ...allocationBalance(account),
        held: Money.parse(m?.held ?? '0').toString(),
        redeemed: Money.parse(m?.redeemed ?? '0').toString(),
        ledger_balance: Money.parse(account?.balance.posted ?? '0').toString(),
      };
    }),
  );
}
