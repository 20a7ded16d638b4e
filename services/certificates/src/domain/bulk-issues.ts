import { randomUUID } from 'node:crypto';
import { AppError, conflict, notFound, unprocessable, type EntityManager, type Principal } from '@esc/service-kit';
import * as store from '../data-access/bulk-issue-store';
import type { BulkIssueErrorRow, BulkIssueRow } from '../data-access/bulk-issue-store';
import { assertCaseworkerOf, readsEverything } from './access';
import { findBudgetProgramme, requireParametersAt } from './budget';
import { countDataRows, errorsCsv, groupBySnils, MAX_BULK_ROWS, parseBulkCsv, readLayout, type ParsedRow } from './bulk-csv';
import { BulkRegistry, finishChunk, prepareChunk, type ChunkContext, type PreparedChunk } from './bulk-issue-chunks';
import type { BulkIssueQueue, Deps } from './context';
import { todayIn } from './business-date';

export type { BulkIssueErrorRow, BulkIssueQueue, BulkIssueRow };
export type { BulkIssueStatus } from '../data-access/bulk-issue-store';

/** Recipients (certificates) written, opened in the ledger and charged together. */
export const BULK_CHUNK_SIZE = 2000;
/** Chunks priced and written ahead of the one the ledger is issuing. */
const PREPARE_AHEAD = 1;

export async function findBulkIssue(em: EntityManager, id: string): Promise<BulkIssueRow> {
  const bulkIssue = await store.findBulkIssueRow(em, id);
  if (!bulkIssue) throw notFound('bulk_issue_not_found', `Массовая выдача ${id} не найдена.`);
  return bulkIssue;
}

export interface StartBulkIssueInput {
  id?: string;
  budget_programme_id: string;
  region_code: string;
  file_name?: string | null;
  csv: string;
}

/**
 * Accepts a CSV of recipients and their programmes for one budget programme: checks who may send it,
 * the header and the size, stores the file and queues the job. Rows are checked by the job, one by one.
 */
export async function startBulkIssue(deps: Deps, principal: Principal, input: StartBulkIssueInput): Promise<{ bulkIssue: BulkIssueRow; created: boolean }> {
  const queue: BulkIssueQueue | undefined = deps.bulkIssueQueue;
  if (!queue) throw new AppError('unavailable', 'bulk_issues_unavailable', 'Массовая выдача сейчас недоступна: очередь заданий не подключена.');
  assertCaseworkerOf(principal, input.region_code);
  const em = deps.orm.em.fork();
  const budgetProgramme = await findBudgetProgramme(em, input.budget_programme_id);
  if (budgetProgramme.region_code !== input.region_code) {
    throw unprocessable('budget_programme_other_region', `Программа ${budgetProgramme.code} финансируется другим регионом (${budgetProgramme.region_code}).`);
  }
  readLayout(input.csv);
  const total = countDataRows(input.csv);
  if (total === 0) throw new AppError('validation', 'csv_empty', 'В файле нет ни одной строки получателя: после заголовка должны идти строки с данными.');
  if (total > MAX_BULK_ROWS) {
    throw new AppError('too_large', 'csv_too_many_rows', `В файле ${total} строк, а за один раз можно выдать не больше ${MAX_BULK_ROWS}: разделите файл на части.`);
  }
  await requireParametersAt(em, input.region_code, todayIn(deps, input.region_code));
  const id = input.id ?? randomUUID();
  const created = await store.insertBulkIssueIfAbsent(em, {
    id,
    region_code: input.region_code,
    budget_programme_id: input.budget_programme_id,
    file_name: input.file_name ?? null,
    csv: input.csv,
    total_rows: total,
    created_by: principal.subject,
  });
  const bulkIssue = await findBulkIssue(em, id);
  if (!created && (bulkIssue.region_code !== input.region_code || bulkIssue.budget_programme_id !== input.budget_programme_id)) {
    throw conflict('bulk_issue_exists', `Массовая выдача ${id} уже создана для другой программы или региона; для нового файла не указывайте id или укажите новый.`);
  }
  if (!created && !(await store.bulkIssueHasCsv(em, id, input.csv))) {
    throw conflict('bulk_issue_exists', `Массовая выдача ${id} уже создана по другому файлу; для нового файла не указывайте id или укажите новый.`, { bulk_issue_id: id, fields: ['csv'] });
  }
  // Sending a failed bulk issue again resumes it where it stopped.
  const resumed = await store.requeueFailedBulkIssue(em, id);
  // Again on a retry too: a lost enqueue is repaired, a queued or finished job is not run twice.
  await queue.enqueue(id);
  return { bulkIssue: resumed ? await findBulkIssue(em, id) : bulkIssue, created };
}

/**
 * Queues again every bulk issue that has not finished. A Redis that came back empty lost their jobs, and
 * nothing else would run them until someone sent the file again; a job still queued, running or waiting to
 * be retried is left as it is, since enqueueing is idempotent by job id. Returns how many were looked at.
 */
export async function resumeUnfinishedBulkIssues(deps: Deps, _principal: Principal): Promise<number> {
  const queue = deps.bulkIssueQueue;
  if (!queue) return 0;
  const ids = await store.unfinishedBulkIssueIds(deps.orm.em.fork());
  for (const id of ids) await queue.enqueue(id);
  return ids.length;
}

export async function readBulkIssue(deps: Deps, principal: Principal, input: { id: string }): Promise<BulkIssueRow> {
  return readableBulkIssue(deps.orm.em.fork(), principal, input.id);
}

async function readableBulkIssue(em: EntityManager, principal: Principal, id: string): Promise<BulkIssueRow> {
  const bulkIssue = await findBulkIssue(em, id);
  if (!readsEverything(principal)) assertCaseworkerOf(principal, bulkIssue.region_code);
  return bulkIssue;
}

/** The rows that were not issued, in file order, from `after_row` on; a page of `limit` rows, or all of them. */
export async function listBulkIssueErrors(deps: Deps, principal: Principal, input: { id: string; after_row?: number; limit?: number }): Promise<BulkIssueErrorRow[]> {
  const em = deps.orm.em.fork();
  await readableBulkIssue(em, principal, input.id);
  return store.failedRowsOf(em, input.id, input.after_row ?? 0, input.limit);
}

/** Every row that was not issued, as the CSV report a spreadsheet opens. */
export async function bulkIssueErrorsCsv(deps: Deps, principal: Principal, input: { id: string }): Promise<string> {
  return errorsCsv(await listBulkIssueErrors(deps, principal, { id: input.id }));
}

export interface BulkIssueSummary {
  id: string;
  total_rows: number;
  processed_rows: number;
  issued: number;
  failed: number;
}

const summary = (b: BulkIssueRow): BulkIssueSummary => ({ id: b.id, total_rows: b.total_rows, processed_rows: b.processed_rows, issued: b.issued, failed: b.failed });

/**
 * Issues the certificates of a stored file, chunk by chunk. Safe to run again at any point: every
 * recipient group gets ids derived from the bulk issue and its first row, rows already reported are
 * skipped, and the ledger's account and transfer ids are the same on every run, so nothing is issued twice.
 */
export async function processBulkIssue(deps: Deps, _principal: Principal, input: { id: string; chunk_size?: number }): Promise<BulkIssueSummary> {
  const { id } = input;
  const em = deps.orm.em.fork();
  const found = await findBulkIssue(em, id);
  if (found.status === 'completed') return summary(found);
  await store.markBulkIssueRunning(em, id, todayIn(deps, found.region_code));
  const bulk = await findBulkIssue(em, id);
  const issuedOn = bulk.issued_on!;
  const parsed = parseBulkCsv(await store.bulkIssueFile(em, id), issuedOn);
  await store.setBulkIssueTotalRows(em, id, parsed.length);

  const context: ChunkContext = {
    deps,
    bulk,
    issuedOn,
    budgetProgramme: await findBudgetProgramme(em, bulk.budget_programme_id),
    parameters: await requireParametersAt(em, bulk.region_code, issuedOn),
    registry: new BulkRegistry(deps.registry),
  };
  const done = await store.reportedRowNumbers(em, id);
  const groups = groupBySnils(parsed).filter((g) => g.some((r) => !done.has(r.rowNo)));
  const size = input.chunk_size ?? BULK_CHUNK_SIZE;
  // The next chunks are priced and written while the ledger issues the current one; the ledger still
  // takes the chunks one at a time in file order, so the budget runs out where the file says.
  const chunks: ParsedRow[][][] = [];
  for (let start = 0; start < groups.length; start += size) chunks.push(groups.slice(start, start + size));
  const prepared: Array<Promise<PreparedChunk>> = [];
  const prepareNext = () => {
    const chunk = chunks[prepared.length];
    if (!chunk) return;
    const preparing = prepareChunk(context, chunk);
    // Awaited in turn below; this only keeps a failure that comes before its turn from counting as unhandled.
    preparing.catch(() => undefined);
    prepared.push(preparing);
  };
  for (let i = 0; i < PREPARE_AHEAD; i++) prepareNext();
  try {
    for (let i = 0; i < chunks.length; i++) {
      const chunk = await prepared[i]!;
      prepareNext();
      await finishChunk(context, chunk);
    }
  } catch (err) {
    // Nothing of this run keeps writing once it has failed; the retry starts from a quiet database.
    await Promise.allSettled(prepared);
    throw err;
  }
  await store.markBulkIssueCompleted(em, id);
  return summary(await findBulkIssue(em, id));
}

/** What the bulk issue says when the job gives up: the error's own words when it has them. */
export function failureDetail(cause: unknown): string {
  return cause instanceof AppError ? cause.detail : 'Внутренняя ошибка при обработке файла; уже выданные сертификаты остаются в силе. Обратитесь в поддержку.';
}

/** The job gave up on the file: the bulk issue says so and why, unless it completed meanwhile. */
export async function failBulkIssue(deps: Deps, _principal: Principal, input: { id: string; cause: unknown }): Promise<void> {
  await store.markBulkIssueFailed(deps.orm.em.fork(), input.id, failureDetail(input.cause));
}
