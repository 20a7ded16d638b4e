import { Money } from '@esc/money';
import { notFound, type Principal } from '@esc/service-kit';
import * as batchStore from '../data-access/batch-store';
import type { BatchRow, PayoutRow, PayoutStatus } from '../data-access/batch-store';
import { onRawConnection } from '../data-access/connections';
import * as viewStore from '../data-access/finance-view-store';
import type { StatementSummaryRow } from '../data-access/finance-view-store';
import { assertCanReadRegion } from './access';
import { findBatch } from './batches';
import type { Deps } from './context';
import { findRun } from './runs';

export type { StatementSummaryRow };

/** The batch formed for a run, or 404 while there is none. */
export async function batchOfRun(deps: Deps, principal: Principal, input: { runId: string }): Promise<BatchRow> {
  return onRawConnection(deps.orm, async (sql) => {
    const run = await findRun(sql, input.runId);
    assertCanReadRegion(principal, run.region_code);
    const batchId = await batchStore.batchIdOfRun(sql, run.id);
    if (!batchId) throw notFound('batch_not_found', `Реестр выплат за ${run.period} ещё не сформирован.`, { run_id: run.id });
    return findBatch(sql, batchId);
  });
}

export interface ComparisonItem {
  provider_id: string;
  provider_name: string;
  inn: string;
  amount: string;
  previous_amount: string;
  difference: string;
  change: 'new' | 'gone' | 'changed' | 'same';
}

export interface BatchComparison {
  batch_id: string;
  period: string;
  previous: { batch_id: string; period: string } | null;
  total: string;
  previous_total: string;
  difference: string;
  items: ComparisonItem[];
}

/** Per provider, this batch's payout against the previous one's; providers of either batch appear once. */
export function compareBatches(current: readonly viewStore.ProviderPayoutSum[], previous: readonly viewStore.ProviderPayoutSum[]): ComparisonItem[] {
  const before = new Map(previous.map((p) => [p.provider_id, p]));
  const items: ComparisonItem[] = current.map((p) => {
    const old = before.get(p.provider_id);
    const amount = Money.parse(p.amount);
    const previousAmount = Money.parse(old?.amount ?? '0');
    return {
      provider_id: p.provider_id,
      provider_name: p.provider_name,
      inn: p.inn,
      amount: amount.toString(),
      previous_amount: previousAmount.toString(),
      difference: amount.subtract(previousAmount).toString(),
      change: !old ? 'new' : amount.equals(previousAmount) ? 'same' : 'changed',
    };
  });
  const seen = new Set(current.map((p) => p.provider_id));
  for (const old of previous) {
    if (seen.has(old.provider_id)) continue;
    const previousAmount = Money.parse(old.amount);
    items.push({
      provider_id: old.provider_id,
      provider_name: old.provider_name,
      inn: old.inn,
      amount: Money.zero().toString(),
      previous_amount: previousAmount.toString(),
      difference: Money.zero().subtract(previousAmount).toString(),
      change: 'gone',
    });
  }
  return items;
}

export async function batchComparison(deps: Deps, principal: Principal, input: { id: string }): Promise<BatchComparison> {
  return onRawConnection(deps.orm, async (sql) => {
    const batch = await findBatch(sql, input.id);
    assertCanReadRegion(principal, batch.region_code);
    const previous = await viewStore.previousBatchOf(sql, batch.region_code, batch.period);
    const current = await viewStore.payoutSumsOfBatch(sql, batch.id);
    const before = previous ? await viewStore.payoutSumsOfBatch(sql, previous.id) : [];
    const sum = (rows: readonly viewStore.ProviderPayoutSum[]) => Money.sum(rows.map((r) => Money.parse(r.amount)));
    return {
      batch_id: batch.id,
      period: batch.period,
      previous: previous ? { batch_id: previous.id, period: previous.period } : null,
      total: sum(current).toString(),
      previous_total: sum(before).toString(),
      difference: sum(current).subtract(sum(before)).toString(),
      items: compareBatches(current, before),
    };
  });
}

export async function listStatements(deps: Deps, principal: Principal, input: { regionCode: string }): Promise<StatementSummaryRow[]> {
  assertCanReadRegion(principal, input.regionCode);
  return onRawConnection(deps.orm, (sql) => viewStore.statementsOfRegion(sql, input.regionCode));
}

export async function listPayouts(deps: Deps, principal: Principal, input: { regionCode: string; status: PayoutStatus }): Promise<PayoutRow[]> {
  assertCanReadRegion(principal, input.regionCode);
  return onRawConnection(deps.orm, (sql) => viewStore.payoutsOfRegion(sql, input.regionCode, input.status, 500));
}

/** Per programme, what settlement received and settled, and per run period where that money is. */
export async function programmeAllocations(
  deps: Deps,
  principal: Principal,
  input: { regionCode: string },
): Promise<{ programmes: viewStore.ProgrammeTotals[]; periods: viewStore.ProgrammePeriod[] }> {
  assertCanReadRegion(principal, input.regionCode);
  return onRawConnection(deps.orm, async (sql) => ({
    programmes: await viewStore.programmeTotals(sql, input.regionCode),
    periods: await viewStore.programmePeriods(sql, input.regionCode),
  }));
}
