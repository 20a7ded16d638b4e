import type { Sql } from '@esc/service-kit';

/** A run's line with the state assignment of its service and the provider's payout in the run's batch. */
export interface PeriodReportLine {
  provider_id: string;
  funding_mode: 'compensation' | 'state_assignment';
  budget_programme_code: string;
  service_code: string;
  service_name: string;
  unit: string;
  units: string;
  assigned: number | null;
  gross_amount: string;
  fee_amount: string;
  amount: string;
  provider_name: string | null;
  inn: string | null;
  payout_amount: string | null;
  withheld: string | null;
  payout_status: string | null;
  reference: string | null;
}

/** A batch's money by what the bank has done with it. */
export interface BatchPayoutSums {
  approved: string;
  in_transit: string;
  settled: string;
}

export interface ReconciliationPayout {
  reference: string;
  provider_name: string;
  inn: string;
  amount: string;
  status: string;
  booked_on: string | null;
  statement_id: string | null;
  match_method: string | null;
  return_reason: string | null;
}

export interface ReconciliationDiscrepancy {
  reference: string | null;
  counterparty_name: string | null;
  counterparty_inn: string | null;
  amount: string;
  booked_on: string | null;
  statement_id: string;
  discrepancy_code: string;
  discrepancy_reason: string;
  resolution: string | null;
  resolution_note: string | null;
}

export interface ProviderLine {
  period: string;
  region_code: string;
  budget_programme_code: string;
  service_code: string;
  service_name: string;
  unit: string;
  redemptions: number;
  units: number;
  gross_amount: string;
  fee_amount: string;
  amount: string;
  funding_mode: string;
}

export interface ProviderPayout {
  id: string;
  period: string;
  reference: string;
  earned: string;
  withheld: string;
  amount: string;
  withheld_reason: string | null;
  status: string;
  settled_at: string | null;
  return_reason: string | null;
  bank_bic: string;
  bank_account: string;
}

export interface ProviderCarryover {
  period: string;
  redemption_id: string;
  amount: string;
  reason_code: string;
  reason: string;
}

export async function periodReportLines(sql: Sql, runId: string, period: string, batchId: string | null): Promise<PeriodReportLine[]> {
  return sql.rows<PeriodReportLine>(
    `select l.provider_id, l.funding_mode, l.budget_programme_code, l.service_code, l.service_name, l.unit, l.units::text,
            a.units as assigned, l.gross_amount::text, l.fee_amount::text, l.amount::text,
            p.provider_name, p.inn, p.amount::text as payout_amount, p.withheld::text, p.status as payout_status, p.reference
       from settlement.lines l
       left join settlement.assignments a on a.provider_id = l.provider_id and a.service_code = l.service_code and a.period = $2
       left join settlement.payouts p on p.provider_id = l.provider_id and p.batch_id = $3
      where l.run_id = $1 order by l.provider_id, l.budget_programme_code, l.service_code`,
    [runId, period, batchId],
  );
}

export async function carriedOfRun(sql: Sql, runId: string): Promise<{ n: number; amount: string }> {
  const carried = await sql.one<{ n: number; amount: string }>(
    `select count(*)::int as n, coalesce(sum(amount), 0)::numeric(20,2)::text as amount from settlement.carryovers where run_id = $1`,
    [runId],
  );
  return carried!;
}

export async function batchPayoutSums(sql: Sql, batchId: string): Promise<BatchPayoutSums> {
  const sums = await sql.one<BatchPayoutSums>(
    `select coalesce(sum(amount) filter (where status in ('in_transit', 'paid', 'returned')), 0)::numeric(20,2)::text as approved,
            coalesce(sum(amount) filter (where status = 'in_transit'), 0)::numeric(20,2)::text as in_transit,
            coalesce(sum(amount) filter (where status in ('paid', 'returned')), 0)::numeric(20,2)::text as settled
       from settlement.payouts where batch_id = $1`,
    [batchId],
  );
  return sums!;
}

/** What the bank has paid out in the region, over every batch. */
export async function paidInRegion(sql: Sql, regionCode: string): Promise<string> {
  const paid = await sql.one<{ paid: string }>(
    `select coalesce(sum(amount), 0)::numeric(20,2)::text as paid from settlement.payouts where region_code = $1 and status = 'paid'`,
    [regionCode],
  );
  return paid!.paid;
}

/** The batch's payouts to transfer, each with the statement line that settled it, if any. */
export async function reconciliationPayouts(sql: Sql, batchId: string): Promise<ReconciliationPayout[]> {
  return sql.rows<ReconciliationPayout>(
    `select p.reference, p.provider_name, p.inn, p.amount::text, p.status, l.booked_on::text, l.statement_id, l.match_method, p.return_reason
       from settlement.payouts p left join settlement.statement_lines l on l.id = p.statement_line_id
      where p.batch_id = $1 and p.status <> 'withheld' order by p.number`,
    [batchId],
  );
}

export async function reconciliationDiscrepancies(sql: Sql, regionCode: string): Promise<ReconciliationDiscrepancy[]> {
  return sql.rows<ReconciliationDiscrepancy>(
    `select l.reference, l.counterparty_name, l.counterparty_inn, l.amount::text, l.booked_on::text, l.statement_id, l.discrepancy_code, l.discrepancy_reason,
            l.resolution, l.resolution_note
       from settlement.statement_lines l join settlement.statements s on s.id = l.statement_id
      where s.region_code = $1 and l.discrepancy_code is not null order by s.imported_at, l.number`,
    [regionCode],
  );
}

/** A provider's lines over all runs, in one region when `regionCode` is given. */
export async function linesOfProvider(sql: Sql, providerId: string, regionCode: string | undefined): Promise<ProviderLine[]> {
  return sql.rows<ProviderLine>(
    `select r.period, r.region_code, l.budget_programme_code, l.service_code, l.service_name, l.unit, l.redemptions, l.units::int as units,
            l.gross_amount::text, l.fee_amount::text, l.amount::text, l.funding_mode
       from settlement.lines l join settlement.runs r on r.id = l.run_id
      where l.provider_id = $1 and ($2::text is null or r.region_code = $2) order by r.period, l.budget_programme_code, l.service_code`,
    [providerId, regionCode ?? null],
  );
}

export async function payoutsOfProvider(sql: Sql, providerId: string, regionCode: string | undefined): Promise<ProviderPayout[]> {
  return sql.rows<ProviderPayout>(
    `select p.id, b.period, p.reference, p.earned::text, p.withheld::text, p.amount::text, p.withheld_reason, p.status, p.settled_at, p.return_reason,
            p.bank_bic, p.bank_account
       from settlement.payouts p join settlement.payout_batches b on b.id = p.batch_id
      where p.provider_id = $1 and ($2::text is null or p.region_code = $2) order by b.period, p.reference`,
    [providerId, regionCode ?? null],
  );
}

export async function carryoversOfProvider(sql: Sql, providerId: string, regionCode: string | undefined): Promise<ProviderCarryover[]> {
  return sql.rows<ProviderCarryover>(
    `select r.period, co.redemption_id, co.amount::text, co.reason_code, co.reason
       from settlement.carryovers co join settlement.runs r on r.id = co.run_id
      where co.provider_id = $1 and ($2::text is null or r.region_code = $2) order by r.period, co.redemption_id`,
    [providerId, regionCode ?? null],
  );
}
