import { randomUUID } from 'node:crypto';
import { conflict, notFound, unprocessable, type Principal, type Sql } from '@esc/service-kit';
import { inRawTransaction, onRawConnection } from '../data-access/connections';
import * as runStore from '../data-access/run-store';
import type { CarryoverRow, RunRow, RunTotals, SettlementLineRow } from '../data-access/run-store';
import { assertCanReadRegion, assertFinanceOf } from './access';
import type { Deps } from './context';
import { nextPeriod, parsePeriod } from './periods';
import { audit } from '../data-access/audit-store';
import { findStandingRule } from '../data-access/standing-store';
import { effectiveRule } from './provider-standing';

/** The region's zone: an exclusion's date is the region's business date. Asked only when a candidate's provider is suspended or excluded. */
function standingTimeZone(deps: Deps, regionCode: string): string {
  const zone = deps.regionTimeZones.get(regionCode);
  if (!zone) {
    throw unprocessable(
      'region_time_zone_unknown',
      `Для региона ${regionCode} не задан часовой пояс, а дата исключения поставщика считается по местному времени региона. Расчёт не выполнен; попросите администратора указать пояс региона в настройке REGION_TIME_ZONES (например, «${regionCode}=Europe/Samara»), расчёт повторится сам.`,
      { region_code: regionCode },
    );
  }
  return zone;
}

export type { CarryoverRow, RunRow, RunTotals, SettlementLineRow };

/** Who opens the runs of the monthly schedule, as the run records it. */
const SCHEDULER = 'scheduler';

export interface RequestRunInput {
  regionCode: string;
  period: string;
}

/** Opens the run of a region and period, or answers the one that exists: a run is never created twice. */
export async function requestRun(deps: Deps, principal: Principal, input: RequestRunInput): Promise<{ run: RunRow; created: boolean }> {
  assertFinanceOf(principal, input.regionCode);
  parsePeriod(input.period);
  return inRawTransaction(deps.orm, async (sql) => {
    const inserted = await runStore.insertRequestedRun(sql, {
      id: randomUUID(),
      regionCode: input.regionCode,
      period: input.period,
      requestedBy: principal.subject,
    });
    if (inserted) {
      await audit(sql, principal, { action: 'run.requested', object_type: 'run', object_id: inserted.id, after: { region_code: inserted.region_code, period: inserted.period } });
      return { run: inserted, created: true };
    }
    const existing = await runStore.runOfPeriod(sql, input.regionCode, input.period);
    return { run: existing!, created: false };
  });
}

/** Runs the scheduler opens for the month just ended, in every region with unsettled lines. */
export async function scheduleRuns(deps: Deps, _principal: Principal, input: { period: string }): Promise<RunRow[]> {
  const { end } = parsePeriod(input.period);
  return inRawTransaction(deps.orm, (sql) => runStore.insertRunsForUnsettledRegions(sql, input.period, end, SCHEDULER));
}

/** The run, or 404: for a helper inside someone else's connection or transaction. */
export async function findRun(sql: Sql, id: string): Promise<RunRow> {
  const run = await runStore.findRun(sql, id);
  if (!run) throw notFound('run_not_found', `Расчёт ${id} не найден.`, { run_id: id });
  return run;
}

async function readableRun(sql: Sql, principal: Principal, id: string): Promise<RunRow> {
  const run = await findRun(sql, id);
  assertCanReadRegion(principal, run.region_code);
  return run;
}

export async function getRun(deps: Deps, principal: Principal, input: { id: string }): Promise<{ run: RunRow; totals: RunTotals }> {
  return onRawConnection(deps.orm, async (sql) => {
    const run = await readableRun(sql, principal, input.id);
    return { run, totals: await runStore.runTotals(sql, input.id) };
  });
}

export async function listRuns(deps: Deps, principal: Principal, input: { regionCode: string }): Promise<RunRow[]> {
  assertCanReadRegion(principal, input.regionCode);
  return onRawConnection(deps.orm, (sql) => runStore.runsOfRegion(sql, input.regionCode));
}

export async function runLines(deps: Deps, principal: Principal, input: { id: string }): Promise<SettlementLineRow[]> {
  return onRawConnection(deps.orm, async (sql) => {
    await readableRun(sql, principal, input.id);
    return runStore.linesOfRun(sql, input.id);
  });
}

/** What a run carried over, each row with its provider's name from the registry (null while the registry cannot be reached). */
export async function runCarryovers(deps: Deps, principal: Principal, input: { id: string }): Promise<Array<CarryoverRow & { provider_name: string | null }>> {
  const rows = await onRawConnection(deps.orm, async (sql) => {
    await readableRun(sql, principal, input.id);
    return runStore.carryoversOfRun(sql, input.id);
  });
  const ids = [...new Set(rows.map((r) => r.provider_id))];
  const directory = ids.length ? await deps.directory.get(ids).catch(() => new Map<string, { name: string }>()) : new Map<string, { name: string }>();
  return rows.map((row) => ({ ...row, provider_name: directory.get(row.provider_id)?.name ?? null }));
}

/**
 * The run itself, as one transaction: it settles every line delivered up to the period's end that no
 * run has settled yet (late and carried lines included), pays compensation lines in delivery order
 * while the programme's payout limit for the period allows, and carries the rest with the reason.
 * Before the limits, acts of suspended or excluded providers that the region's rule holds for review
 * are carried too (provider-standing.ts). A run that dies rolls back whole and the next attempt starts over; a completed run is left alone.
 */
export async function executeRun(deps: Deps, principal: Principal, input: { runId: string }): Promise<'completed' | 'already_completed'> {
  const { runId } = input;
  try {
    return await inRawTransaction(deps.orm, async (sql) => {
      const run = await runStore.lockRun(sql, runId);
      if (!run) throw notFound('run_not_found', `Расчёт ${runId} не найден.`);
      if (run.status === 'completed') return 'already_completed' as const;
      await runStore.lockRegionForRun(sql, run.region_code);
      const period = parsePeriod(run.period);
      const scope: runStore.RunScope = {
        runId,
        regionCode: run.region_code,
        period: run.period,
        periodEnd: period.end,
        periodMonth: period.month,
        nextPeriod: nextPeriod(run.period),
      };
      await runStore.collectRunCandidates(sql, scope);
      if (await runStore.candidatesOfRestrictedProviders(sql)) {
        const rule = effectiveRule(run.region_code, await findStandingRule(sql, run.region_code));
        const held = await runStore.holdForProviderStanding(sql, scope, rule, standingTimeZone(deps, run.region_code));
        if (held.acts > 0) {
          await audit(sql, principal, {
            action: 'run.held_for_review',
            object_type: 'run',
            object_id: runId,
            after: { rule: { while_suspended: rule.whileSuspended, when_excluded: rule.whenExcluded }, held_redemptions: held.acts, held_amount: held.amount },
          });
        }
      }
      await runStore.carryOverBeyondLimits(sql, scope);
      await runStore.settleCandidates(sql, scope);
      await runStore.markRunCompleted(sql, runId);
      return 'completed' as const;
    });
  } catch (err) {
    await onRawConnection(deps.orm, (sql) => runStore.recordRunFailure(sql, runId, String((err as Error).message).slice(0, 500))).catch(() => undefined);
    throw err;
  }
}

/** Marks a run as being worked on (outside the run's own transaction, so readers see it). */
export async function markRunStarted(deps: Deps, _principal: Principal, input: { runId: string }): Promise<void> {
  await onRawConnection(deps.orm, (sql) => runStore.markRunStarted(sql, input.runId));
}

export function assertRunCompleted(run: RunRow): void {
  if (run.status !== 'completed') {
    throw conflict('run_not_completed', `Расчёт за ${run.period} ещё выполняется (статус ${run.status}); дождитесь завершения.`, { run_id: run.id });
  }
}
