import type { Sql } from '@esc/service-kit';

export interface BatchRow {
  id: string;
  run_id: string;
  region_code: string;
  period: string;
  status: 'draft' | 'approving' | 'approved';
  created_by: string;
  created_at: string;
  approved_by: string | null;
  approved_at: string | null;
  posted_at: string | null;
  payouts: number;
  total: string;
  last_error: string | null;
}

export type PayoutStatus = 'pending' | 'in_transit' | 'paid' | 'returned' | 'withheld';

export interface PayoutRow {
  id: string;
  batch_id: string;
  number: number;
  reference: string;
  provider_id: string;
  region_code: string;
  earned: string;
  withheld: string;
  amount: string;
  withheld_reason: string | null;
  provider_name: string;
  inn: string;
  kpp: string | null;
  bank_bic: string;
  bank_account: string;
  bank_name: string;
  bank_correspondent_account: string | null;
  status: PayoutStatus;
  settled_at: string | null;
  statement_line_id: string | null;
  return_reason: string | null;
  /** The number of its payment order, given at the batch's first export; null before. */
  payment_order_number: number | null;
}

/** A payout as a statement line is matched against it. */
export interface PayoutCandidate {
  id: string;
  batch_id: string;
  reference: string;
  inn: string;
  /** The payee's account the payout was sent to (fixed when the batch was formed). */
  bank_account: string;
  amount: string;
  status: PayoutStatus;
  region_code: string;
}

/** A payout as the batch forms it; the reference is numbered by the database. */
export interface NewPayout {
  id: string;
  number: number;
  providerId: string;
  earned: string;
  withheld: string;
  amount: string;
  withheldReason: string | null;
  status: 'pending' | 'withheld';
  providerName: string;
  inn: string;
  kpp: string | null;
  bankBic: string;
  bankAccount: string;
  bankName: string;
  bankCorrespondentAccount: string | null;
}

const BATCH_COLUMNS = `id, run_id, region_code, period, status, created_by, created_at, approved_by, approved_at, posted_at, payouts, total::text, last_error`;
const PAYOUT_COLUMNS = `id, batch_id, number, reference, provider_id, region_code, earned::text, withheld::text, amount::text, withheld_reason,
  provider_name, inn, kpp, bank_bic, bank_account, bank_name, bank_correspondent_account, status, settled_at, statement_line_id, return_reason`;
const CANDIDATE_COLUMNS = `id, batch_id, reference, inn, bank_account, amount::text, status, region_code`;

export async function findBatch(sql: Sql, id: string): Promise<BatchRow | undefined> {
  return sql.one<BatchRow>(`select ${BATCH_COLUMNS} from settlement.payout_batches where id = $1`, [id]);
}

export async function lockBatch(sql: Sql, id: string): Promise<BatchRow | undefined> {
  return sql.one<BatchRow>(`select ${BATCH_COLUMNS} from settlement.payout_batches where id = $1 for update`, [id]);
}

export async function batchIdOfRun(sql: Sql, runId: string): Promise<string | undefined> {
  return (await sql.one<{ id: string }>(`select id from settlement.payout_batches where run_id = $1`, [runId]))?.id;
}

/** Answers false when the run has a batch already (formed by someone else meanwhile). */
export async function insertDraftBatch(
  sql: Sql,
  batch: { id: string; runId: string; regionCode: string; period: string; createdBy: string; payouts: number; total: string },
): Promise<boolean> {
  const inserted = await sql.one<{ id: string }>(
    `insert into settlement.payout_batches (id, run_id, region_code, period, status, created_by, payouts, total)
     values ($1, $2, $3, $4, 'draft', $5, $6, $7) on conflict (run_id) do nothing returning id`,
    [batch.id, batch.runId, batch.regionCode, batch.period, batch.createdBy, batch.payouts, batch.total],
  );
  return inserted !== undefined;
}

/** All payouts of a batch in one statement, each given the next payment reference of the region. */
export async function insertPayouts(sql: Sql, batchId: string, regionCode: string, payouts: readonly NewPayout[]): Promise<void> {
  const column = <T>(f: (p: NewPayout) => T) => payouts.map(f);
  await sql.run(
    `insert into settlement.payouts (id, batch_id, number, reference, provider_id, region_code, earned, withheld, amount, withheld_reason,
       provider_name, inn, kpp, bank_bic, bank_account, bank_name, bank_correspondent_account, status)
     select u.id, $1, u.number, 'ESC' || $2 || lpad(nextval('settlement.payout_reference_seq')::text, 10, '0'), u.provider_id, $2,
            u.earned, u.withheld, u.amount, u.withheld_reason, u.provider_name, u.inn, u.kpp, u.bic, u.account, u.bank_name, u.corr, u.status
       from unnest($3::uuid[], $4::int[], $5::uuid[], $6::numeric[], $7::numeric[], $8::numeric[], $9::text[], $10::text[], $11::text[],
                   $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[])
            as u(id, number, provider_id, earned, withheld, amount, withheld_reason, provider_name, inn, kpp, bic, account, bank_name, corr, status)
      order by u.number`,
    [
      batchId,
      regionCode,
      column((p) => p.id),
      column((p) => p.number),
      column((p) => p.providerId),
      column((p) => p.earned),
      column((p) => p.withheld),
      column((p) => p.amount),
      column((p) => p.withheldReason),
      column((p) => p.providerName),
      column((p) => p.inn),
      column((p) => p.kpp),
      column((p) => p.bankBic),
      column((p) => p.bankAccount),
      column((p) => p.bankName),
      column((p) => p.bankCorrespondentAccount),
      column((p) => p.status),
    ],
  );
}

/** The payouts of a batch in batch order, each with its payment order number once the batch has been exported. */
export async function payoutsOfBatch(sql: Sql, batchId: string): Promise<PayoutRow[]> {
  return sql.rows<PayoutRow>(
    `select ${PAYOUT_COLUMNS}, (select o.number from settlement.payment_orders o where o.payout_id = payouts.id) as payment_order_number
       from settlement.payouts where batch_id = $1 order by number`,
    [batchId],
  );
}

export async function markBatchApproving(sql: Sql, id: string, approvedBy: string, approvedAt: string): Promise<BatchRow> {
  const approved = await sql.one<BatchRow>(
    `update settlement.payout_batches set status = 'approving', approved_by = $2, approved_at = $3 where id = $1 returning ${BATCH_COLUMNS}`,
    [id, approvedBy, approvedAt],
  );
  return approved!;
}

/** The next payouts of a batch still to be posted to the ledger, in payment order. */
export async function pendingPayoutsOf(
  sql: Sql,
  batchId: string,
  limit: number,
): Promise<Array<{ id: string; provider_id: string; amount: string; reference: string }>> {
  return sql.rows(
    `select id, provider_id, amount::text, reference from settlement.payouts where batch_id = $1 and status = 'pending' order by number limit $2`,
    [batchId, limit],
  );
}

export async function markPayoutsInTransit(sql: Sql, ids: readonly string[]): Promise<void> {
  await sql.run(`update settlement.payouts set status = 'in_transit' where id = any($1::uuid[]) and status = 'pending'`, [ids]);
}

export async function markBatchApproved(sql: Sql, id: string): Promise<void> {
  await sql.run(`update settlement.payout_batches set status = 'approved', posted_at = now(), last_error = null where id = $1 and status = 'approving'`, [id]);
}

export async function recordBatchFailure(sql: Sql, id: string, error: string): Promise<void> {
  await sql.run(`update settlement.payout_batches set last_error = $2 where id = $1`, [id, error]);
}

export async function approvingBatchIds(sql: Sql): Promise<string[]> {
  return (await sql.rows<{ id: string }>(`select id from settlement.payout_batches where status = 'approving'`)).map((r) => r.id);
}

export async function lockPayoutByReference(sql: Sql, reference: string, regionCode: string): Promise<PayoutCandidate | undefined> {
  return sql.one<PayoutCandidate>(`select ${CANDIDATE_COLUMNS} from settlement.payouts where reference = $1 and region_code = $2 for update`, [
    reference,
    regionCode,
  ]);
}

/** Payouts of the region in transit to that INN for exactly that amount, other than `excludedIds`, in payment order. */
export async function lockInTransitPayoutsTo(
  sql: Sql,
  query: { inn: string; amount: string; regionCode: string; excludedIds: readonly string[] },
): Promise<PayoutCandidate[]> {
  return sql.rows<PayoutCandidate>(
    `select ${CANDIDATE_COLUMNS} from settlement.payouts
      where inn = $1 and amount = $2::numeric and region_code = $3 and status = 'in_transit' and not (id = any($4::uuid[]))
      order by number for update`,
    [query.inn, query.amount, query.regionCode, query.excludedIds],
  );
}

export async function lockPayout(sql: Sql, id: string): Promise<PayoutCandidate | undefined> {
  return sql.one<PayoutCandidate>(`select ${CANDIDATE_COLUMNS} from settlement.payouts where id = $1 for update`, [id]);
}

/** What the bank did with a payout in transit, from a statement line; a returned one keeps the bank's reason. */
export async function settlePayout(
  sql: Sql,
  settlement: { payoutId: string; outcome: 'paid' | 'returned'; statementLineId: string; bankReason: string | null },
): Promise<void> {
  await sql.run(
    `update settlement.payouts set status = $2, settled_at = now(), statement_line_id = $3,
            return_reason = case when $2 = 'returned' then coalesce($4, 'Банк вернул платёж без указания причины') end
      where id = $1 and status = 'in_transit'`,
    [settlement.payoutId, settlement.outcome, settlement.statementLineId, settlement.bankReason],
  );
}
