import type { Sql } from '@esc/service-kit';

/** What the provider's cabinet reads of its money: one statement per function, rows as the database returns them. */

export interface UnsettledTotals {
  acts: number;
  amount: string;
  /** The region of the acts (null when there are none). */
  region_code: string | null;
}

/** A compensation provider's acts posted and not yet settled by a run. */
export async function unsettledOfProvider(sql: Sql, providerId: string, regionCode: string | undefined): Promise<UnsettledTotals> {
  const rows = await sql.rows<UnsettledTotals>(
    `select count(*)::int as acts, coalesce(sum(r.amount), 0)::numeric(20,2)::text as amount, min(r.region_code) as region_code
       from settlement.unsettled u join settlement.redemptions r on r.redemption_id = u.redemption_id
      where r.provider_id = $1 and r.funding_mode = 'compensation' and ($2::text is null or r.region_code = $2)`,
    [providerId, regionCode ?? null],
  );
  return rows[0] ?? { acts: 0, amount: '0.00', region_code: null };
}

export interface HeldTotals {
  acts: number;
  amount: string;
  /** The reason code of the latest run's hold, null when nothing is held. */
  reason_code: 'provider_suspended' | 'provider_excluded' | null;
}

/** A compensation provider's unsettled acts that the latest run to see them held for review because of its standing. */
export async function heldOfProvider(sql: Sql, providerId: string, regionCode: string | undefined): Promise<HeldTotals> {
  const rows = await sql.rows<HeldTotals>(
    `with latest as (
       select distinct on (co.redemption_id) co.redemption_id, co.amount, co.reason_code, r.period
         from settlement.carryovers co
         join settlement.runs r on r.id = co.run_id
         join settlement.unsettled u on u.redemption_id = co.redemption_id
         join settlement.redemptions rd on rd.redemption_id = co.redemption_id
        where co.provider_id = $1 and rd.funding_mode = 'compensation' and ($2::text is null or r.region_code = $2)
        order by co.redemption_id, r.period desc)
     select count(*) filter (where reason_code in ('provider_suspended', 'provider_excluded'))::int as acts,
            coalesce(sum(amount) filter (where reason_code in ('provider_suspended', 'provider_excluded')), 0)::numeric(20,2)::text as amount,
            (array_agg(reason_code order by period desc) filter (where reason_code in ('provider_suspended', 'provider_excluded')))[1] as reason_code
       from latest`,
    [providerId, regionCode ?? null],
  );
  return rows[0] ?? { acts: 0, amount: '0.00', reason_code: null };
}

export interface ProviderPeriodRow {
  period: string;
  acts: number;
  units: number;
  gross_amount: string;
  fee_amount: string;
  amount: string;
  paid_amount: string;
}

/** The months settled for the provider, newest first, with what the bank paid of them. */
export async function periodsOfProvider(sql: Sql, providerId: string, regionCode: string | undefined): Promise<ProviderPeriodRow[]> {
  return sql.rows<ProviderPeriodRow>(
    `with settled as (
       select r.period, sum(l.redemptions)::int as acts, sum(l.units)::int as units, sum(l.gross_amount) as gross, sum(l.fee_amount) as fee, sum(l.amount) as amount
         from settlement.lines l join settlement.runs r on r.id = l.run_id
        where l.provider_id = $1 and ($2::text is null or r.region_code = $2) group by r.period
     ), paid as (
       select b.period, sum(p.amount) as paid
         from settlement.payouts p join settlement.payout_batches b on b.id = p.batch_id
        where p.provider_id = $1 and p.status = 'paid' and ($2::text is null or p.region_code = $2) group by b.period
     )
     select s.period, s.acts, s.units, s.gross::numeric(20,2)::text as gross_amount, s.fee::numeric(20,2)::text as fee_amount,
            s.amount::numeric(20,2)::text as amount, coalesce(paid.paid, 0)::numeric(20,2)::text as paid_amount
       from settled s left join paid on paid.period = s.period order by s.period desc`,
    [providerId, regionCode ?? null],
  );
}

export interface ProviderPayoutRow {
  id: string;
  period: string;
  region_code: string;
  reference: string;
  earned: string;
  withheld: string;
  withheld_reason: string | null;
  amount: string;
  status: 'pending' | 'in_transit' | 'paid' | 'returned' | 'withheld';
  batch_status: 'draft' | 'approving' | 'approved';
  batch_formed_at: string;
  booked_on: string | null;
  statement_ref: string | null;
  return_reason: string | null;
  bank_account: string;
}

/** The provider's payouts with their batch and the statement line that settled them, newest period first. */
export async function payoutStagesOfProvider(sql: Sql, providerId: string, regionCode: string | undefined): Promise<ProviderPayoutRow[]> {
  return sql.rows<ProviderPayoutRow>(
    `select p.id, b.period, p.region_code, p.reference, p.earned::text, p.withheld::text, p.withheld_reason, p.amount::text, p.status,
            b.status as batch_status, b.created_at as batch_formed_at, sl.booked_on::text as booked_on, s.statement_ref,
            coalesce(p.return_reason, sl.bank_reason) as return_reason, p.bank_account
       from settlement.payouts p
       join settlement.payout_batches b on b.id = p.batch_id
       left join settlement.statement_lines sl on sl.id = p.statement_line_id
       left join settlement.statements s on s.id = sl.statement_id
      where p.provider_id = $1 and ($2::text is null or p.region_code = $2)
      order by b.period desc, p.reference`,
    [providerId, regionCode ?? null],
  );
}

export interface StatementLineRow {
  budget_programme_code: string;
  service_code: string;
  service_name: string;
  unit: string;
  redemptions: number;
  units: number;
  gross_amount: string;
  fee_amount: string;
  amount: string;
}

/** One month's settlement lines of the provider, by programme and service. */
export async function periodLinesOfProvider(sql: Sql, providerId: string, period: string, regionCode: string | undefined): Promise<StatementLineRow[]> {
  return sql.rows<StatementLineRow>(
    `select l.budget_programme_code, l.service_code, l.service_name, l.unit, l.redemptions::int as redemptions, l.units::int as units,
            l.gross_amount::text, l.fee_amount::text, l.amount::text
       from settlement.lines l join settlement.runs r on r.id = l.run_id
      where l.provider_id = $1 and r.period = $2 and ($3::text is null or r.region_code = $3)
      order by l.budget_programme_code, l.service_code`,
    [providerId, period, regionCode ?? null],
  );
}
