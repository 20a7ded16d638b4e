import type { Sql } from '@esc/service-kit';

export interface StatementRow {
  id: string;
  region_code: string;
  format: '1c' | 'camt053';
  sha256: string;
  file_name: string | null;
  account: string;
  statement_ref: string | null;
  date_from: string | null;
  date_to: string | null;
  status: 'posting' | 'posted';
  imported_by: string;
  imported_at: string;
  posted_at: string | null;
  last_error: string | null;
}

export interface StatementLineRow {
  id: string;
  statement_id: string;
  number: number;
  direction: 'debit' | 'credit';
  amount: string;
  booked_on: string | null;
  counterparty_name: string | null;
  counterparty_inn: string | null;
  counterparty_account: string | null;
  purpose: string | null;
  reference: string | null;
  bank_reason: string | null;
  outcome: 'paid' | 'returned' | 'discrepancy';
  payout_id: string | null;
  match_method: 'reference' | 'inn_amount' | 'manual' | null;
  discrepancy_code: string | null;
  discrepancy_reason: string | null;
  resolution: 'matched' | 'dismissed' | null;
  resolution_note: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
  ledger_posted: boolean;
}

/** A statement line being resolved by hand, with its statement's region. */
export interface LineToResolve {
  id: string;
  statement_id: string;
  region_code: string;
  direction: 'debit' | 'credit';
  amount: string;
  discrepancy_code: string | null;
  resolution: string | null;
  bank_reason: string | null;
}

/** A line the bank settled a payout with, not yet posted to the ledger, with the payout's accounts. */
export interface UnpostedSettlement {
  id: string;
  outcome: 'paid' | 'returned';
  payout_id: string;
  batch_id: string;
  provider_id: string;
  amount: string;
  reference: string;
}

export interface NewStatementLine {
  id: string;
  statementId: string;
  number: number;
  direction: 'debit' | 'credit';
  amount: string;
  bookedOn: string | null;
  counterpartyName: string | null;
  counterpartyInn: string | null;
  counterpartyAccount: string | null;
  purpose: string | null;
  reference: string | null;
  bankReason: string | null;
  outcome: 'paid' | 'returned' | 'discrepancy';
  payoutId: string | null;
  matchMethod: 'reference' | 'inn_amount' | null;
  discrepancyCode: string | null;
  discrepancyReason: string | null;
}

const STATEMENT_COLUMNS = `id, region_code, format, sha256, file_name, account, statement_ref, date_from::text, date_to::text, status, imported_by, imported_at,
  posted_at, last_error`;
const LINE_COLUMNS = `l.id, l.statement_id, l.number, l.direction, l.amount::text as amount, l.booked_on::text as booked_on, l.counterparty_name,
  l.counterparty_inn, l.counterparty_account, l.purpose, l.reference, l.bank_reason, l.outcome, l.payout_id, l.match_method,
  l.discrepancy_code, l.discrepancy_reason, l.resolution, l.resolution_note, l.resolved_by, l.resolved_at, l.ledger_posted`;

/**
 * Answers false when the statement is there already: the same fingerprint (account, period and
 * documents) or bytes, or, for camt.053, the same bank statement id on the account. A concurrent
 * import of the same statement waits here for the other transaction and then answers false.
 */
export async function insertStatement(
  sql: Sql,
  statement: {
    id: string;
    regionCode: string;
    format: '1c' | 'camt053';
    sha256: string;
    fingerprint: string;
    fileName: string | null;
    account: string;
    statementRef: string | null;
    dateFrom: string | null;
    dateTo: string | null;
    importedBy: string;
  },
): Promise<boolean> {
  const inserted = await sql.one<{ id: string }>(
    `insert into settlement.statements (id, region_code, format, sha256, fingerprint, file_name, account, statement_ref, date_from, date_to, status, imported_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'posting', $11) on conflict do nothing returning id`,
    [
      statement.id,
      statement.regionCode,
      statement.format,
      statement.sha256,
      statement.fingerprint,
      statement.fileName,
      statement.account,
      statement.statementRef,
      statement.dateFrom,
      statement.dateTo,
      statement.importedBy,
    ],
  );
  return inserted !== undefined;
}

/** The statement imported before with the same fingerprint, or with the very same bytes (statements imported before fingerprints were kept). */
export async function sameStatement(sql: Sql, key: { fingerprint: string; sha256: string }): Promise<{ id: string } | undefined> {
  return sql.one<{ id: string }>(`select id from settlement.statements where fingerprint = $1 or sha256 = $2 order by imported_at limit 1`, [key.fingerprint, key.sha256]);
}

/** The camt.053 statement of the account imported under the bank's statement id. */
export async function camtStatementWithRef(sql: Sql, statementRef: string, account: string): Promise<{ id: string } | undefined> {
  return sql.one<{ id: string }>(
    `select id from settlement.statements where statement_ref = $1 and account = $2 and format = 'camt053'`,
    [statementRef, account],
  );
}

export async function insertStatementLine(sql: Sql, line: NewStatementLine): Promise<void> {
  await sql.run(
    `insert into settlement.statement_lines (id, statement_id, number, direction, amount, booked_on, counterparty_name, counterparty_inn,
       counterparty_account, purpose, reference, bank_reason, outcome, payout_id, match_method, discrepancy_code, discrepancy_reason)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)`,
    [
      line.id, line.statementId, line.number, line.direction, line.amount, line.bookedOn, line.counterpartyName, line.counterpartyInn,
      line.counterpartyAccount, line.purpose, line.reference, line.bankReason, line.outcome, line.payoutId,
      line.matchMethod, line.discrepancyCode, line.discrepancyReason,
    ],
  );
}

export async function findStatement(sql: Sql, id: string): Promise<StatementRow | undefined> {
  return sql.one<StatementRow>(`select ${STATEMENT_COLUMNS} from settlement.statements where id = $1`, [id]);
}

export async function linesOfStatement(sql: Sql, statementId: string): Promise<StatementLineRow[]> {
  return sql.rows<StatementLineRow>(`select ${LINE_COLUMNS} from settlement.statement_lines l where l.statement_id = $1 order by l.number`, [statementId]);
}

/** The region's discrepancy lines in import order; only the unresolved ones when `openOnly`. */
export async function discrepanciesOfRegion(sql: Sql, regionCode: string, openOnly: boolean): Promise<StatementLineRow[]> {
  return sql.rows<StatementLineRow>(
    `select ${LINE_COLUMNS} from settlement.statement_lines l join settlement.statements s on s.id = l.statement_id
      where s.region_code = $1 and l.discrepancy_code is not null and ($2::boolean = false or l.resolution is null)
      order by s.imported_at, l.number`,
    [regionCode, openOnly],
  );
}

export async function lockLineToResolve(sql: Sql, lineId: string): Promise<LineToResolve | undefined> {
  return sql.one<LineToResolve>(
    `select l.id, l.statement_id, s.region_code, l.direction, l.amount::text, l.discrepancy_code, l.resolution, l.bank_reason
       from settlement.statement_lines l join settlement.statements s on s.id = l.statement_id where l.id = $1 for update of l`,
    [lineId],
  );
}

export async function dismissLine(sql: Sql, lineId: string, resolution: { note: string; resolvedBy: string }): Promise<void> {
  await sql.run(`update settlement.statement_lines set resolution = 'dismissed', resolution_note = $2, resolved_by = $3, resolved_at = now() where id = $1`, [
    lineId,
    resolution.note,
    resolution.resolvedBy,
  ]);
}

export async function matchLineByHand(
  sql: Sql,
  lineId: string,
  match: { note: string; resolvedBy: string; outcome: 'paid' | 'returned'; payoutId: string },
): Promise<void> {
  await sql.run(
    `update settlement.statement_lines set resolution = 'matched', resolution_note = $2, resolved_by = $3, resolved_at = now(),
            outcome = $4, payout_id = $5, match_method = 'manual' where id = $1`,
    [lineId, match.note, match.resolvedBy, match.outcome, match.payoutId],
  );
}

/** The statement has ledger postings to make again (the recovery pass and the job pick it up). */
export async function markStatementPosting(sql: Sql, id: string): Promise<void> {
  await sql.run(`update settlement.statements set status = 'posting' where id = $1`, [id]);
}

export async function statementPostingState(sql: Sql, id: string): Promise<{ region_code: string; status: StatementRow['status'] } | undefined> {
  return sql.one(`select region_code, status from settlement.statements where id = $1`, [id]);
}

export async function unpostedSettlementsOf(sql: Sql, statementId: string): Promise<UnpostedSettlement[]> {
  return sql.rows<UnpostedSettlement>(
    `select l.id, l.outcome, l.payout_id, p.batch_id, p.provider_id, p.amount::text, p.reference
       from settlement.statement_lines l join settlement.payouts p on p.id = l.payout_id
      where l.statement_id = $1 and l.outcome in ('paid', 'returned') and not l.ledger_posted order by l.number`,
    [statementId],
  );
}

export async function markLinesPosted(sql: Sql, lineIds: readonly string[]): Promise<void> {
  await sql.run(`update settlement.statement_lines set ledger_posted = true where id = any($1::uuid[])`, [lineIds]);
}

/** Marks the statement posted when none of its paid or returned lines waits for the ledger any more. */
export async function markStatementPostedIfComplete(sql: Sql, id: string): Promise<void> {
  await sql.run(
    `update settlement.statements s set status = 'posted', posted_at = now(), last_error = null
      where id = $1 and not exists (select 1 from settlement.statement_lines l
                                     where l.statement_id = s.id and l.outcome in ('paid', 'returned') and not l.ledger_posted)`,
    [id],
  );
}

export async function recordStatementFailure(sql: Sql, id: string, error: string): Promise<void> {
  await sql.run(`update settlement.statements set last_error = $2 where id = $1`, [id, error]);
}

export async function postingStatementIds(sql: Sql): Promise<string[]> {
  return (await sql.rows<{ id: string }>(`select id from settlement.statements where status = 'posting'`)).map((r) => r.id);
}
