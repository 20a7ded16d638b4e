import { sqlOf, type EntityManager } from '@esc/service-kit';

export type BulkIssueStatus = 'queued' | 'running' | 'completed' | 'failed';

export interface BulkIssueRow {
  id: string;
  region_code: string;
  budget_programme_id: string;
  file_name: string | null;
  status: BulkIssueStatus;
  total_rows: number;
  processed_rows: number;
  issued: number;
  failed: number;
  issued_on: string | null;
  created_by: string;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  failure_detail: string | null;
}

const BULK_ISSUE_COLUMNS = `id, region_code, budget_programme_id, file_name, status, total_rows, processed_rows, issued, failed, issued_on::text as issued_on,
  created_by, created_at, started_at, finished_at, failure_detail`;

export function findBulkIssueRow(em: EntityManager, id: string): Promise<BulkIssueRow | undefined> {
  return sqlOf(em).one<BulkIssueRow>(`select ${BULK_ISSUE_COLUMNS} from certificates.bulk_issues where id = $1`, [id]);
}

/** Whether the bulk issue stored under `id` was made from exactly this file. */
export async function bulkIssueHasCsv(em: EntityManager, id: string, csv: string): Promise<boolean> {
  const row = await sqlOf(em).one<{ same: boolean }>(`select csv = $2 as same from certificates.bulk_issues where id = $1`, [id, csv]);
  return row?.same === true;
}

/** Stores an accepted file as `queued` unless its id exists; true when this call stored it. The file travels as one bind parameter. */
export async function insertBulkIssueIfAbsent(
  em: EntityManager,
  b: { id: string; region_code: string; budget_programme_id: string; file_name: string | null; csv: string; total_rows: number; created_by: string },
): Promise<boolean> {
  const inserted = await sqlOf(em).run(
    `insert into certificates.bulk_issues (id, region_code, budget_programme_id, file_name, csv, status, total_rows, created_by)
     values ($1, $2, $3, $4, $5, 'queued', $6, $7) on conflict (id) do nothing`,
    [b.id, b.region_code, b.budget_programme_id, b.file_name, b.csv, b.total_rows, b.created_by],
  );
  return inserted > 0;
}

/** A failed bulk issue goes back to `queued`; true when it was failed. */
export async function requeueFailedBulkIssue(em: EntityManager, id: string): Promise<boolean> {
  return (await sqlOf(em).run(`update certificates.bulk_issues set status = 'queued', failure_detail = null, finished_at = null where id = $1 and status = 'failed'`, [id])) > 0;
}

/** Bulk issues not yet finished (`queued` or `running`), oldest first. */
export async function unfinishedBulkIssueIds(em: EntityManager): Promise<string[]> {
  const rows = await sqlOf(em).rows<{ id: string }>(`select id from certificates.bulk_issues where status in ('queued', 'running') order by created_at, id`);
  return rows.map((r) => r.id);
}

/** Running from now on; the issue date is fixed by the first run and kept by the next ones. */
export async function markBulkIssueRunning(em: EntityManager, id: string, today: string): Promise<void> {
  await sqlOf(em).run(
    `update certificates.bulk_issues set status = 'running', started_at = coalesce(started_at, clock_timestamp()), issued_on = coalesce(issued_on, $1::date),
       failure_detail = null, finished_at = null where id = $2`,
    [today, id],
  );
}

export async function bulkIssueFile(em: EntityManager, id: string): Promise<string> {
  const row = await sqlOf(em).one<{ csv: string }>(`select csv from certificates.bulk_issues where id = $1`, [id]);
  return row!.csv;
}

export async function setBulkIssueTotalRows(em: EntityManager, id: string, totalRows: number): Promise<void> {
  await sqlOf(em).run(`update certificates.bulk_issues set total_rows = $1 where id = $2`, [totalRows, id]);
}

export async function markBulkIssueCompleted(em: EntityManager, id: string): Promise<void> {
  await sqlOf(em).run(`update certificates.bulk_issues set status = 'completed', finished_at = clock_timestamp() where id = $1`, [id]);
}

/** Gives up on a bulk issue that has not completed, saying why. */
export async function markBulkIssueFailed(em: EntityManager, id: string, detail: string): Promise<void> {
  await sqlOf(em).run(`update certificates.bulk_issues set status = 'failed', failure_detail = $1, finished_at = clock_timestamp() where id = $2 and status <> 'completed'`, [
    detail,
    id,
  ]);
}

/** Row numbers a previous run already reported. */
export async function reportedRowNumbers(em: EntityManager, bulkIssueId: string): Promise<Set<number>> {
  const rows = await sqlOf(em).rows<{ row_no: number }>(`select row_no from certificates.bulk_issue_rows where bulk_issue_id = $1`, [bulkIssueId]);
  return new Set(rows.map((r) => r.row_no));
}

export interface BulkIssueRowResult {
  row_no: number;
  snils: string | null;
  status: 'issued' | 'failed';
  certificate_id: string | null;
  error_code: string | null;
  error_detail: string | null;
}

/** Reports a chunk's rows and counts them into the bulk issue's progress; rows reported before are neither written nor counted again. */
export async function recordRowResults(em: EntityManager, bulkIssueId: string, results: BulkIssueRowResult[]): Promise<void> {
  await sqlOf(em).run(
    `with ins as (
       insert into certificates.bulk_issue_rows (bulk_issue_id, row_no, snils, status, certificate_id, error_code, error_detail)
       select $1::uuid, r.row_no, r.snils, r.status, r.certificate_id, r.error_code, r.error_detail
         from jsonb_to_recordset($2::jsonb) as r(row_no int, snils text, status text, certificate_id uuid, error_code text, error_detail text)
       on conflict (bulk_issue_id, row_no) do nothing
       returning status)
     update certificates.bulk_issues set processed_rows = processed_rows + (select count(*) from ins),
       issued = issued + (select count(*) from ins where status = 'issued'), failed = failed + (select count(*) from ins where status = 'failed')
      where id = $1::uuid`,
    [bulkIssueId, JSON.stringify(results)],
  );
}

export interface BulkIssueErrorRow {
  row_no: number;
  snils: string | null;
  error_code: string;
  error_detail: string;
}

/** The rows that were not issued, in file order, after `afterRow`; all of them without a limit. */
export function failedRowsOf(em: EntityManager, bulkIssueId: string, afterRow: number, limit?: number): Promise<BulkIssueErrorRow[]> {
  return sqlOf(em).rows<BulkIssueErrorRow>(
    `select row_no, snils, error_code, error_detail from certificates.bulk_issue_rows
      where bulk_issue_id = $1 and status = 'failed' and row_no > $2 order by row_no ${limit ? 'limit $3' : ''}`,
    [bulkIssueId, afterRow, ...(limit ? [limit] : [])],
  );
}
