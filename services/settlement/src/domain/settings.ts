import { Money } from '@esc/money';
import { conflict, withTransaction, type Principal } from '@esc/service-kit';
import { regionOfProgramme } from '../data-access/redemption-store';
import { lockRunStatusOfPeriod, type RunRow } from '../data-access/run-store';
import * as settingsStore from '../data-access/settings-store';
import type { Assignment, PayoutLimit, ProgrammeSettings } from '../data-access/settings-store';
import { assertCanReadRegion, assertFinanceOf } from './access';
import type { Deps } from './context';
import { parsePeriod } from './periods';
import { auditIn } from '../data-access/audit-store';

export type { Assignment, PayoutLimit, ProgrammeSettings };

/** A period's limit is the run's to decide once the region's run of that period has left the queue. */
export function assertLimitChangeable(runStatus: RunRow['status'] | undefined, period: string): void {
  if (runStatus !== undefined && runStatus !== 'queued') {
    throw conflict('period_already_settled', `Расчёт за ${period} уже выполнен или выполняется; лимит этого периода изменить нельзя. Установите лимит следующего периода.`);
  }
}

/** A programme belongs to one region: its limits are set there. */
export function assertProgrammeOfRegion(existing: Pick<PayoutLimit, 'regionCode'> | null, budgetProgrammeId: string, regionCode: string): void {
  if (existing && existing.regionCode !== regionCode) {
    throw conflict('programme_of_other_region', `Программа ${budgetProgrammeId} относится к региону ${existing.regionCode}.`);
  }
}

export interface SetPayoutLimitInput {
  budgetProgrammeId: string;
  period: string;
  regionCode: string;
  amount: string;
}

/**
 * The cash limit of a programme for a period: what the run may pay out at most. It can change until
 * the region's run for that period has started; after that the run's decision stands.
 */
export async function setPayoutLimit(deps: Deps, principal: Principal, input: SetPayoutLimitInput): Promise<PayoutLimit> {
  assertFinanceOf(principal, input.regionCode);
  parsePeriod(input.period);
  const amount = Money.parse(input.amount).toString();
  return withTransaction(deps.orm.em.fork(), async (em) => {
    assertLimitChangeable(await lockRunStatusOfPeriod(em, input.regionCode, input.period), input.period);
    await settingsStore.lockSettingKey(em, `payout-limit/${input.budgetProgrammeId}/${input.period}`);
    const existing = await settingsStore.findPayoutLimit(em, input.budgetProgrammeId, input.period);
    assertProgrammeOfRegion(existing, input.budgetProgrammeId, input.regionCode);
    const setAt = new Date();
    await auditIn(em, principal, {
      action: 'payout_limit.set',
      object_type: 'payout_limit',
      object_id: `${input.budgetProgrammeId}/${input.period}`,
      before: existing ? { amount: existing.amount } : null,
      after: { amount },
    });
    if (!existing) {
      return settingsStore.addPayoutLimit(em, {
        budgetProgrammeId: input.budgetProgrammeId,
        period: input.period,
        regionCode: input.regionCode,
        amount,
        setBy: principal.subject,
        setAt,
      });
    }
    existing.amount = amount;
    existing.setBy = principal.subject;
    existing.setAt = setAt;
    return existing;
  });
}

export async function listPayoutLimits(deps: Deps, principal: Principal, input: { regionCode: string; period?: string }): Promise<PayoutLimit[]> {
  assertCanReadRegion(principal, input.regionCode);
  return settingsStore.payoutLimitsOfRegion(deps.orm.em.fork(), input.regionCode, input.period);
}

export interface SetProgrammePeriodInput {
  budgetProgrammeId: string;
  periodMonths: number;
}

/** How many months a programme's settlement period spans; set by finance of the region its deliveries come from. */
export async function setProgrammePeriod(deps: Deps, principal: Principal, input: SetProgrammePeriodInput): Promise<ProgrammeSettings> {
  assertFinanceOf(principal, principal.regionCode ?? '—');
  return withTransaction(deps.orm.em.fork(), async (em) => {
    const regionCode = await regionOfProgramme(em, input.budgetProgrammeId);
    if (regionCode !== undefined) assertFinanceOf(principal, regionCode);
    await settingsStore.lockSettingKey(em, `programme/${input.budgetProgrammeId}`);
    const existing = await settingsStore.findProgrammeSettings(em, input.budgetProgrammeId);
    const updatedAt = new Date();
    if (!existing) {
      return settingsStore.addProgrammeSettings(em, {
        budgetProgrammeId: input.budgetProgrammeId,
        periodMonths: input.periodMonths,
        updatedBy: principal.subject,
        updatedAt,
      });
    }
    existing.periodMonths = input.periodMonths;
    existing.updatedBy = principal.subject;
    existing.updatedAt = updatedAt;
    return existing;
  });
}

export interface SetAssignmentInput {
  providerId: string;
  serviceCode: string;
  period: string;
  regionCode: string;
  units: number;
}

/**
 * The volume a state-assignment provider is to deliver for a service in a period (госзадание). A
 * change keeps the region the assignment was first set in.
 */
export async function setAssignment(deps: Deps, principal: Principal, input: SetAssignmentInput): Promise<Assignment> {
  assertFinanceOf(principal, input.regionCode);
  parsePeriod(input.period);
  return withTransaction(deps.orm.em.fork(), async (em) => {
    await settingsStore.lockSettingKey(em, `assignment/${input.providerId}/${input.serviceCode}/${input.period}`);
    const existing = await settingsStore.findAssignment(em, input.providerId, input.serviceCode, input.period);
    const setAt = new Date();
    if (!existing) {
      return settingsStore.addAssignment(em, {
        providerId: input.providerId,
        serviceCode: input.serviceCode,
        period: input.period,
        regionCode: input.regionCode,
        units: input.units,
        setBy: principal.subject,
        setAt,
      });
    }
    existing.units = input.units;
    existing.setBy = principal.subject;
    existing.setAt = setAt;
    return existing;
  });
}
