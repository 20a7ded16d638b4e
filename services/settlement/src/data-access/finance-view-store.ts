import type { Sql } from '@esc/service-kit';
import type { PayoutRow, PayoutStatus } from './batch-store';

/** What a batch pays each provider (withheld payouts count as nothing paid). */
export interface ProviderPayoutSum {
  provider_id: string;
  provider_name: string;
  inn: string;
  amount: string;
}

/** The region's batch of the latest period before this one, if any. */
export async function previousBatchOf(sql: Sql, regionCode: string, period: string): Promise<{ id: string; period: string } | undefined> {
  return sql.one<{ id: string; period: string }>(
    `select id, period from settlement.payout_batches where region_code = $1 and period < $2 order by period desc, created_at desc limit 1`,
    [regionCode, period],
  );
}

export async function payoutSumsOfBatch(sql: Sql, batchId: string): Promise<ProviderPayoutSum[]> {
  return sql.rows<ProviderPayoutSum>(
    `select provider_id, min(provider_name) as provider_name, min(inn) as inn,
            coalesce(sum(amount) filter (where status <> 'withheld'), 0)::numeric(20,2)::text as amount
       from settlement.payouts where batch_id = $1 group by provider_id order by min(provider_name), provider_id`,
    [batchId],
  );
}

export interface StatementSummaryRow {
  id: string;
  region_code: string;
  format: '1c' | 'camt053';
  file_name: string | null;
  account: string;
  statement_ref: string | null;
  date_from: string | null;
  date_to: string | null;
  status: 'posting' | 'posted';
  imported_by: string;
  imported_at: string;
  lines: number;
  paid: number;
  returned: number;
  discrepancies: number;
  open_discrepancies: number;
}

export async function statementsOfRegion(sql: Sql, regionCode: string): Promise<StatementSummaryRow[]> {
  return sql.rows<StatementSummaryRow>(
    `select s.id, s.region_code, s.format, s.file_name, s.account, s.statement_ref, s.date_from::text, s.date_to::text, s.status, s.imported_by, s.imported_at,
            count(l.id)::int as lines,
            count(l.id) filter (where l.outcome = 'paid')::int as paid,
            count(l.id) filter (where l.outcome = 'returned')::int as returned,
            count(l.id) filter (where l.outcome = 'discrepancy')::int as discrepancies,
            count(l.id) filter (where l.outcome = 'discrepancy' and l.resolution is null)::int as open_discrepancies
       from settlement.statements s left join settlement.statement_lines l on l.statement_id = s.id
      where s.region_code = $1
      group by s.id order by s.imported_at desc, s.id`,
    [regionCode],
  );
}

/** A region's payouts in one state, oldest batch first. */
export async function payoutsOfRegion(sql: Sql, regionCode: string, status: PayoutStatus, limit: number): Promise<PayoutRow[]> {
  return sql.rows<PayoutRow>(
    `select p.id, p.batch_id, p.number, p.reference, p.provider_id, p.region_code, p.earned::text, p.withheld::text, p.amount::text, p.withheld_reason,
            p.provider_name, p.inn, p.kpp, p.bank_bic, p.bank_account, p.bank_name, p.bank_correspondent_account, p.status, p.settled_at,
            p.statement_line_id, p.return_reason, (select o.number from settlement.payment_orders o where o.payout_id = p.id) as payment_order_number
       from settlement.payouts p join settlement.payout_batches b on b.id = p.batch_id
      where p.region_code = $1 and p.status = $2
      order by b.created_at, p.number limit $3`,
    [regionCode, status, limit],
  );
}

export interface ProgrammeTotals {
  budget_programme_id: string;
  budget_programme_code: string;
  redeemed: string;
  settled: string;
  waiting: string;
}

/** Per programme of the region: every redemption received, those a run settled, those still waiting. */
export async function programmeTotals(sql: Sql, regionCode: string): Promise<ProgrammeTotals[]> {
  return sql.rows<ProgrammeTotals>(
    `select r.budget_programme_id, min(r.budget_programme_code) as budget_programme_code,
            sum(r.amount)::numeric(20,2)::text as redeemed,
            coalesce(sum(r.amount) filter (where u.redemption_id is null), 0)::numeric(20,2)::text as settled,
            coalesce(sum(r.amount) filter (where u.redemption_id is not null), 0)::numeric(20,2)::text as waiting
       from settlement.redemptions r left join settlement.unsettled u on u.redemption_id = r.redemption_id
      where r.region_code = $1
      group by r.budget_programme_id order by 2`,
    [regionCode],
  );
}

export interface ProgrammePeriod {
  budget_programme_id: string;
  budget_programme_code: string;
  period: string;
  settled: string;
  carried: string;
  in_transit: string;
  paid: string;
  returned: string;
}

/** Per programme and run period: settled compensation, carried lines, and of the settled what the bank has in transit, paid or returned. */
export async function programmePeriods(sql: Sql, regionCode: string): Promise<ProgrammePeriod[]> {
  return sql.rows<ProgrammePeriod>(
    `with settled as (
       select l.budget_programme_id, min(l.budget_programme_code) as budget_programme_code, r.period,
              sum(l.amount) filter (where l.funding_mode = 'compensation') as settled,
              sum(l.amount) filter (where l.funding_mode = 'compensation' and p.status = 'in_transit') as in_transit,
              sum(l.amount) filter (where l.funding_mode = 'compensation' and p.status = 'paid') as paid,
              sum(l.amount) filter (where l.funding_mode = 'compensation' and p.status = 'returned') as returned
         from settlement.lines l
         join settlement.runs r on r.id = l.run_id
         left join settlement.payout_batches b on b.run_id = r.id
         left join settlement.payouts p on p.batch_id = b.id and p.provider_id = l.provider_id
        where r.region_code = $1
        group by l.budget_programme_id, r.period),
     carried as (
       select c.budget_programme_id, r.period, sum(c.amount) as carried
         from settlement.carryovers c join settlement.runs r on r.id = c.run_id
        where r.region_code = $1
        group by c.budget_programme_id, r.period)
     select coalesce(s.budget_programme_id, c.budget_programme_id) as budget_programme_id,
            coalesce(s.budget_programme_code, (select min(budget_programme_code) from settlement.redemptions x where x.budget_programme_id = c.budget_programme_id)) as budget_programme_code,
            coalesce(s.period, c.period) as period,
            coalesce(s.settled, 0)::numeric(20,2)::text as settled,
            coalesce(c.carried, 0)::numeric(20,2)::text as carried,
            coalesce(s.in_transit, 0)::numeric(20,2)::text as in_transit,
            coalesce(s.paid, 0)::numeric(20,2)::text as paid,
            coalesce(s.returned, 0)::numeric(20,2)::text as returned
       from settled s full join carried c on c.budget_programme_id = s.budget_programme_id and c.period = s.period
      order by 2, 3`,
    [regionCode],
  );
}
