import type { settlement } from '@esc/api-types';
import type { BatchRow, PayoutRow } from '../domain/batches';
import type { ProviderSettlement, Report } from '../domain/reports';
import type { CarryoverRow, RunRow, RunTotals, SettlementLineRow } from '../domain/runs';
import type { StandingRule } from '../domain/provider-standing';
import type { Assignment, PayoutLimit, ProgrammeSettings } from '../domain/settings';
import type { StatementLineRow, StatementRow } from '../domain/statements';

type Schemas = settlement.components['schemas'];
type Operations = settlement.operations;
type JsonOf<Op extends keyof Operations> = Operations[Op]['responses'] extends { 200: { content: { 'application/json': infer Body } } } ? Body : never;

export function payoutLimitView(limit: PayoutLimit): Schemas['PayoutLimit'] {
  return {
    budget_programme_id: limit.budgetProgrammeId,
    period: limit.period,
    region_code: limit.regionCode,
    amount: limit.amount,
    set_by: limit.setBy,
    set_at: limit.setAt.toISOString(),
  };
}

export function programmeSettingsView(settings: ProgrammeSettings): JsonOf<'setProgrammeSettings'> {
  return {
    budget_programme_id: settings.budgetProgrammeId,
    period_months: settings.periodMonths,
    updated_by: settings.updatedBy,
    updated_at: settings.updatedAt.toISOString(),
  };
}

export function assignmentView(assignment: Assignment): JsonOf<'setAssignment'> {
  return {
    provider_id: assignment.providerId,
    service_code: assignment.serviceCode,
    period: assignment.period,
    region_code: assignment.regionCode,
    units: assignment.units,
    set_by: assignment.setBy,
    set_at: assignment.setAt.toISOString(),
  };
}

export function runView(run: RunRow): Schemas['Run'] {
  return {
    id: run.id,
    region_code: run.region_code,
    period: run.period,
    status: run.status,
    requested_by: run.requested_by,
    attempts: run.attempts,
    created_at: run.created_at,
    started_at: run.started_at,
    completed_at: run.completed_at,
    last_error: run.last_error,
  };
}

export function runTotalsView(totals: RunTotals): Schemas['RunTotals'] {
  return {
    providers: totals.providers,
    redemptions: totals.redemptions,
    units: totals.units,
    gross_amount: totals.gross_amount,
    fee_amount: totals.fee_amount,
    amount: totals.amount,
    compensation_amount: totals.compensation_amount,
    carried_redemptions: totals.carried_redemptions,
    carried_amount: totals.carried_amount,
    held_redemptions: totals.held_redemptions,
    held_amount: totals.held_amount,
  };
}

export function standingRuleView(rule: StandingRule): Schemas['StandingRule'] {
  return {
    region_code: rule.regionCode,
    while_suspended: rule.whileSuspended,
    when_excluded: rule.whenExcluded,
    updated_by: rule.updatedBy,
    updated_at: rule.updatedAt,
  };
}

export function runWithTotalsView({ run, totals }: { run: RunRow; totals: RunTotals }): JsonOf<'getRun'> {
  return { ...runView(run), totals: runTotalsView(totals) };
}

export function settlementLineView(line: SettlementLineRow): Schemas['SettlementLine'] {
  return {
    provider_id: line.provider_id,
    funding_mode: line.funding_mode,
    budget_programme_id: line.budget_programme_id,
    budget_programme_code: line.budget_programme_code,
    service_code: line.service_code,
    service_name: line.service_name,
    unit: line.unit,
    redemptions: line.redemptions,
    units: line.units,
    gross_amount: line.gross_amount,
    fee_amount: line.fee_amount,
    amount: line.amount,
  };
}

export function carryoverView(carryover: CarryoverRow & { provider_name: string | null }): Schemas['Carryover'] {
  return {
    redemption_id: carryover.redemption_id,
    provider_id: carryover.provider_id,
    provider_name: carryover.provider_name,
    budget_programme_id: carryover.budget_programme_id,
    budget_programme_code: carryover.budget_programme_code,
    service_code: carryover.service_code,
    delivered_on: carryover.delivered_on,
    amount: carryover.amount,
    reason_code: carryover.reason_code,
    reason: carryover.reason,
  };
}

export function batchView(batch: BatchRow): Schemas['Batch'] {
  return {
    id: batch.id,
    run_id: batch.run_id,
    region_code: batch.region_code,
    period: batch.period,
    status: batch.status,
    created_by: batch.created_by,
    created_at: batch.created_at,
    approved_by: batch.approved_by,
    approved_at: batch.approved_at,
    posted_at: batch.posted_at,
    payouts: batch.payouts,
    total: batch.total,
    last_error: batch.last_error,
  };
}

export function payoutView(payout: PayoutRow): Schemas['Payout'] {
  return {
    id: payout.id,
    batch_id: payout.batch_id,
    number: payout.number,
    reference: payout.reference,
    provider_id: payout.provider_id,
    region_code: payout.region_code,
    earned: payout.earned,
    withheld: payout.withheld,
    amount: payout.amount,
    withheld_reason: payout.withheld_reason,
    provider_name: payout.provider_name,
    inn: payout.inn,
    kpp: payout.kpp,
    bank_bic: payout.bank_bic,
    bank_account: payout.bank_account,
    bank_name: payout.bank_name,
    bank_correspondent_account: payout.bank_correspondent_account,
    status: payout.status,
    settled_at: payout.settled_at,
    statement_line_id: payout.statement_line_id,
    return_reason: payout.return_reason,
    payment_order_number: payout.payment_order_number,
  };
}

export function statementLineView(line: StatementLineRow): Schemas['StatementLine'] {
  return {
    id: line.id,
    statement_id: line.statement_id,
    number: line.number,
    direction: line.direction,
    amount: line.amount,
    booked_on: line.booked_on,
    counterparty_name: line.counterparty_name,
    counterparty_inn: line.counterparty_inn,
    counterparty_account: line.counterparty_account,
    purpose: line.purpose,
    reference: line.reference,
    bank_reason: line.bank_reason,
    outcome: line.outcome,
    payout_id: line.payout_id,
    match_method: line.match_method,
    discrepancy_code: line.discrepancy_code,
    discrepancy_reason: line.discrepancy_reason,
    resolution: line.resolution,
    resolution_note: line.resolution_note,
    resolved_by: line.resolved_by,
    resolved_at: line.resolved_at,
    ledger_posted: line.ledger_posted,
  };
}

export function statementView({ statement, lines }: { statement: StatementRow; lines: StatementLineRow[] }): Schemas['Statement'] {
  return {
    id: statement.id,
    region_code: statement.region_code,
    format: statement.format,
    sha256: statement.sha256,
    file_name: statement.file_name,
    account: statement.account,
    statement_ref: statement.statement_ref,
    date_from: statement.date_from,
    date_to: statement.date_to,
    status: statement.status,
    imported_by: statement.imported_by,
    imported_at: statement.imported_at,
    posted_at: statement.posted_at,
    last_error: statement.last_error,
    lines: lines.map(statementLineView),
  };
}

export function reportView(report: Report): Schemas['Report'] {
  return {
    title: report.title,
    columns: report.columns,
    rows: report.rows,
    totals: report.totals,
    tie_out: report.tie_out,
    tie_out_ok: report.tie_out_ok,
    ...(report.filtered ? { filtered: true } : {}),
  };
}

type ProviderLine = ProviderSettlement['lines'][number];
type ProviderPayout = ProviderSettlement['payouts'][number];
type ProviderCarryover = ProviderSettlement['carried'][number];

function providerLineView(line: ProviderLine) {
  return {
    period: line.period,
    region_code: line.region_code,
    budget_programme_code: line.budget_programme_code,
    service_code: line.service_code,
    service_name: line.service_name,
    unit: line.unit,
    redemptions: line.redemptions,
    units: line.units,
    gross_amount: line.gross_amount,
    fee_amount: line.fee_amount,
    amount: line.amount,
    funding_mode: line.funding_mode,
  };
}

function providerPayoutView(payout: ProviderPayout) {
  return {
    id: payout.id,
    period: payout.period,
    reference: payout.reference,
    earned: payout.earned,
    withheld: payout.withheld,
    amount: payout.amount,
    withheld_reason: payout.withheld_reason,
    status: payout.status,
    settled_at: payout.settled_at,
    return_reason: payout.return_reason,
    bank_bic: payout.bank_bic,
    bank_account: payout.bank_account,
  };
}

function providerCarryoverView(carryover: ProviderCarryover) {
  return {
    period: carryover.period,
    redemption_id: carryover.redemption_id,
    amount: carryover.amount,
    reason_code: carryover.reason_code,
    reason: carryover.reason,
  };
}

export function providerSettlementView(provider: ProviderSettlement): Schemas['ProviderSettlement'] {
  return {
    provider_id: provider.provider_id,
    lines: provider.lines.map(providerLineView),
    payouts: provider.payouts.map(providerPayoutView),
    returns: provider.returns.map(providerPayoutView),
    carried: provider.carried.map(providerCarryoverView),
  };
}
