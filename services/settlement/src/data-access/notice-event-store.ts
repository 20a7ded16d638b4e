import type { Sql } from '@esc/service-kit';

/**
 * The events the notifications service turns into notices, written to settlement's outbox in the
 * caller's transaction: they leave only if the change commits, and wait in the outbox while the
 * notifications service is down.
 */

/** batch.awaiting_approval: the region's other finance officers are to approve the batch (four eyes). */
export async function writeBatchAwaitingApproval(sql: Sql, batchId: string): Promise<void> {
  await sql.run(
    `insert into settlement.outbox (id, topic, payload)
     select gen_random_uuid(), 'batch.awaiting_approval', jsonb_build_object(
              'batch_id', b.id, 'region_code', b.region_code, 'period', b.period, 'created_by', b.created_by,
              'payouts', b.payouts, 'total', b.total::text)
       from settlement.payout_batches b where b.id = $1 and b.status = 'draft'`,
    [batchId],
  );
}

/** payout.paid or payout.returned (with the bank's reason) for the payouts these statement lines settled: to the provider. */
export async function writePayoutsSettled(sql: Sql, statementLineIds: string[]): Promise<void> {
  if (statementLineIds.length === 0) return;
  await sql.run(
    `insert into settlement.outbox (id, topic, payload)
     select gen_random_uuid(), 'payout.' || p.status, jsonb_build_object(
              'payout_id', p.id, 'batch_id', p.batch_id, 'provider_id', p.provider_id, 'provider_name', p.provider_name,
              'region_code', p.region_code, 'period', b.period, 'amount', p.amount::text, 'reference', p.reference,
              'bank_account', p.bank_account, 'booked_on', l.booked_on, 'return_reason', p.return_reason)
       from settlement.statement_lines l
       join settlement.payouts p on p.id = l.payout_id
       join settlement.payout_batches b on b.id = p.batch_id
      where l.id = any($1::uuid[]) and p.status in ('paid', 'returned') and p.statement_line_id = l.id`,
    [statementLineIds],
  );
}

/** statement.lines_unmatched: the statement's lines matched to no payout (the first ten listed), for the region's finance officers to resolve. */
export async function writeUnmatchedLines(sql: Sql, statementId: string): Promise<void> {
  await sql.run(
    `insert into settlement.outbox (id, topic, payload)
     select gen_random_uuid(), 'statement.lines_unmatched', jsonb_build_object(
              'statement_id', s.id, 'region_code', s.region_code, 'statement_ref', s.statement_ref, 'file_name', s.file_name,
              'count', u.n, 'lines', u.lines)
       from settlement.statements s
       cross join lateral (
         select count(*)::int as n,
                (select jsonb_agg(jsonb_build_object('number', x.number, 'amount', x.amount::text, 'counterparty_name', x.counterparty_name, 'reason', x.discrepancy_reason) order by x.number)
                   from (select number, amount, counterparty_name, discrepancy_reason from settlement.statement_lines
                          where statement_id = s.id and outcome = 'discrepancy' order by number limit 10) x) as lines
           from settlement.statement_lines where statement_id = s.id and outcome = 'discrepancy') u
      where s.id = $1 and u.n > 0`,
    [statementId],
  );
}
