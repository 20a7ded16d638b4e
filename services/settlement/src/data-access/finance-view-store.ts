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
