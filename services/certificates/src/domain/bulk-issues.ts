import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { derivedTransferId, ledgerAccountIds, uuidV5, type LedgerAccountInput, type LedgerTransferInput } from '@esc/ledger-client';
import { AppError, conflict, notFound, unprocessable, type EntityManager, type Job, type Principal } from '@esc/service-kit';
import { withSqlClient, withSqlTransaction, type SqlClient } from '@esc/service-kit/hot';
import type { RegistryClient, RegistryService, RegistryUnitCost } from '../clients/registry-client';
import { assertCaseworkerOf, readsEverything } from './access';
import { DECISION_WORKING_DAYS, PROGRAMME_WORKING_DAYS, type ProgrammeRow } from './assessments';
import { findBudgetProgramme, requireParametersAt, type BudgetProgrammeRow, type RegionalParameters } from './budget';
import { countDataRows, failGroup, groupBySnils, groupErrors, MAX_BULK_ROWS, parseBulkCsv, readLayout, type BulkRow, type ParsedRow, type RowError } from './bulk-csv';
import { quoteCertificate, type CertificateQuote } from './certificates';
import type { Deps } from './context';
import { fullName, type RecipientRow } from './recipients';
import { formatSnils } from './snils';
import { refusalView } from './refusals';
import { iso, isoOrNull } from './time';
import { addWorkingDays, todayInRussia } from './working-days';

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
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  failure_detail: string | null;
}

/**
 * Puts a bulk issue on the job queue; the job id is the bulk issue id, so enqueueing twice runs it
 * once. A job that failed for good is retried.
 */
export interface BulkIssueQueue {
  enqueue(bulkIssueId: string): Promise<void>;
}

export const BULK_ISSUE_JOB = 'bulk-issue';
/** Recipients (certificates) written, opened in the ledger and charged together. */
export const BULK_CHUNK_SIZE = 2000;
/** Chunks priced and written ahead of the one the ledger is issuing. */
const PREPARE_AHEAD = 1;

const BULK_COLUMNS_SQL = `id, region_code, budget_programme_id, file_name, status, total_rows, processed_rows, issued, failed, issued_on::text as issued_on,
  created_by, created_at, started_at, finished_at, failure_detail`;

export async function findBulkIssue(em: EntityManager, id: string): Promise<BulkIssueRow> {
  const rows: BulkIssueRow[] = await em.execute(`select ${BULK_COLUMNS_SQL} from certificates.bulk_issues where id = ?`, [id]);
  if (!rows[0]) throw notFound('bulk_issue_not_found', `Массовая выдача ${id} не найдена.`);
  return rows[0];
}

/**
 * Accepts a CSV of recipients and their programmes for one budget programme: checks who may send it,
 * the header and the size, stores the file and queues the job. Rows are checked by the job, one by one.
 */
export async function startBulkIssue(
  deps: Deps,
  queue: BulkIssueQueue,
  principal: Principal,
  input: { id?: string; budget_programme_id: string; region_code: string; file_name?: string | null; csv: string },
): Promise<{ bulkIssue: BulkIssueRow; created: boolean }> {
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
  await requireParametersAt(em, input.region_code, todayInRussia());
  const id = input.id ?? randomUUID();
  // The file goes as a bind parameter: the ORM would first escape its megabytes into the SQL text.
  const inserted = await withSqlClient(deps.orm, (client) =>
    sqlOf(client)(
      `insert into certificates.bulk_issues (id, region_code, budget_programme_id, file_name, csv, status, total_rows, created_by)
       values (?, ?, ?, ?, ?, 'queued', ?, ?) on conflict (id) do nothing returning id`,
      [id, input.region_code, input.budget_programme_id, input.file_name ?? null, input.csv, total, principal.subject],
    ),
  );
  const bulkIssue = await findBulkIssue(em, id);
  if (!inserted.length && (bulkIssue.region_code !== input.region_code || bulkIssue.budget_programme_id !== input.budget_programme_id)) {
    throw conflict('bulk_issue_exists', `Массовая выдача ${id} уже создана для другой программы или региона; для нового файла не указывайте id или укажите новый.`);
  }
  // Sending a failed bulk issue again resumes it where it stopped.
  const resumed: unknown[] = await em.execute(
    `update certificates.bulk_issues set status = 'queued', failure_detail = null, finished_at = null where id = ? and status = 'failed' returning id`,
    [id],
  );
  // Again on a retry too: a lost enqueue is repaired, a queued or finished job is not run twice.
  await queue.enqueue(id);
  return { bulkIssue: resumed.length ? await findBulkIssue(em, id) : bulkIssue, created: inserted.length > 0 };
}

export async function readBulkIssue(em: EntityManager, principal: Principal, id: string): Promise<BulkIssueRow> {
  const bulkIssue = await findBulkIssue(em, id);
  if (!readsEverything(principal)) assertCaseworkerOf(principal, bulkIssue.region_code);
  return bulkIssue;
}

export interface BulkIssueErrorRow {
  row_no: number;
  snils: string | null;
  error_code: string;
  error_detail: string;
}

/** The rows that were not issued, in file order, from `afterRow` on. */
export async function listBulkIssueErrors(em: EntityManager, principal: Principal, id: string, page: { afterRow?: number; limit?: number }): Promise<BulkIssueErrorRow[]> {
  await readBulkIssue(em, principal, id);
  return em.execute(
    `select row_no, snils, error_code, error_detail from certificates.bulk_issue_rows
      where bulk_issue_id = ? and status = 'failed' and row_no > ? order by row_no ${page.limit ? 'limit ?' : ''}`,
    [id, page.afterRow ?? 0, ...(page.limit ? [page.limit] : [])],
  );
}

export function bulkIssueView(b: BulkIssueRow) {
  return {
    id: b.id,
    status: b.status,
    region_code: b.region_code,
    budget_programme_id: b.budget_programme_id,
    file_name: b.file_name,
    total_rows: b.total_rows,
    processed_rows: b.processed_rows,
    issued: b.issued,
    failed: b.failed,
    issued_on: b.issued_on,
    created_by: b.created_by,
    created_at: iso(b.created_at),
    started_at: isoOrNull(b.started_at),
    finished_at: isoOrNull(b.finished_at),
    failure: b.failure_detail ? { detail: b.failure_detail } : null,
    links: { self: `/v1/bulk-issues/${b.id}`, errors: `/v1/bulk-issues/${b.id}/errors` },
  };
}

/** The BullMQ handler: runs the file; after the last attempt fails, the bulk issue says so and why. */
export async function runBulkIssueJob(deps: Deps, job: Job): Promise<unknown> {
  const id = (job.data as { bulk_issue_id?: unknown } | undefined)?.bulk_issue_id;
  if (typeof id !== 'string') throw new Error(`bulk-issue job ${job.id} has no bulk_issue_id`);
  try {
    return await processBulkIssue(deps, id);
  } catch (err) {
    if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) await markBulkIssueFailed(deps, id, err);
    throw err;
  }
}

async function markBulkIssueFailed(deps: Deps, id: string, err: unknown) {
  const detail = err instanceof AppError ? err.detail : 'Внутренняя ошибка при обработке файла; уже выданные сертификаты остаются в силе. Обратитесь в поддержку.';
  await deps.orm.em
    .fork()
    .execute(`update certificates.bulk_issues set status = 'failed', failure_detail = ?, finished_at = clock_timestamp() where id = ? and status <> 'completed'`, [detail, id]);
}

export interface BulkIssueSummary {
  id: string;
  total_rows: number;
  processed_rows: number;
  issued: number;
  failed: number;
}

/**
 * Issues the certificates of a stored file, chunk by chunk. Safe to run again at any point: every
 * recipient group gets ids derived from the bulk issue and its first row, rows already reported are
 * skipped, and the ledger's account and transfer ids are the same on every run, so nothing is issued twice.
 */
export async function processBulkIssue(deps: Deps, id: string, options: { chunkSize?: number } = {}): Promise<BulkIssueSummary> {
  const em = deps.orm.em.fork();
  const found = await findBulkIssue(em, id);
  if (found.status === 'completed') return summary(found);
  await em.execute(
    `update certificates.bulk_issues set status = 'running', started_at = coalesce(started_at, clock_timestamp()), issued_on = coalesce(issued_on, ?),
       failure_detail = null, finished_at = null where id = ?`,
    [todayInRussia(), id],
  );
  const bulk = await findBulkIssue(em, id);
  const issuedOn = bulk.issued_on!;
  const [file] = await withSqlClient(deps.orm, (client) => sqlOf(client)<{ csv: string }>(`select csv from certificates.bulk_issues where id = ?`, [id]));
  const parsed = parseBulkCsv(file!.csv, issuedOn);
  await em.execute(`update certificates.bulk_issues set total_rows = ? where id = ?`, [parsed.length, id]);

  const context: ChunkContext = {
    deps,
    bulk,
    issuedOn,
    budgetProgramme: await findBudgetProgramme(em, bulk.budget_programme_id),
    parameters: await requireParametersAt(em, bulk.region_code, issuedOn),
    pricing: new BulkPricing(deps.registry),
  };
  const done = new Set(
    (await em.execute<Array<{ row_no: number }>>(`select row_no from certificates.bulk_issue_rows where bulk_issue_id = ?`, [id])).map((r) => r.row_no),
  );
  const groups = groupBySnils(parsed).filter((g) => g.some((r) => !done.has(r.rowNo)));
  const size = options.chunkSize ?? BULK_CHUNK_SIZE;
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
  await em.execute(`update certificates.bulk_issues set status = 'completed', finished_at = clock_timestamp() where id = ?`, [id]);
  return summary(await findBulkIssue(em, id));
}

const summary = (b: BulkIssueRow): BulkIssueSummary => ({ id: b.id, total_rows: b.total_rows, processed_rows: b.processed_rows, issued: b.issued, failed: b.failed });

interface ChunkContext {
  deps: Deps;
  bulk: BulkIssueRow;
  issuedOn: string;
  budgetProgramme: BudgetProgrammeRow;
  parameters: RegionalParameters;
  pricing: BulkPricing;
}

/** One registry call per service and per (service, categories) in a file, not per row. */
class BulkPricing {
  private readonly services = new Map<string, Promise<RegistryService | undefined>>();
  private readonly costs = new Map<string, Promise<RegistryUnitCost>>();
  readonly registry: RegistryClient;

  constructor(private readonly upstream: RegistryClient) {
    const costs = this.costs;
    this.registry = Object.assign(Object.create(upstream) as RegistryClient, {
      unitCost(code: string, region: string, date: string, coefficients: string[]) {
        const key = `${code}|${region}|${date}|${[...coefficients].sort().join(',')}`;
        let cost = costs.get(key);
        if (!cost) {
          cost = upstream.unitCost(code, region, date, coefficients);
          costs.set(key, cost);
          // An outage is not an answer: the next attempt asks again.
          cost.catch((err: unknown) => {
            if (!(err instanceof AppError && err.kind === 'unprocessable')) costs.delete(key);
          });
        }
        return cost;
      },
    });
  }

  service(code: string): Promise<RegistryService | undefined> {
    let service = this.services.get(code);
    if (!service) {
      service = this.upstream.service(code);
      this.services.set(code, service);
      service.catch(() => this.services.delete(code));
    }
    return service;
  }
}

interface RowResult {
  row_no: number;
  snils: string | null;
  status: 'issued' | 'failed';
  certificate_id: string | null;
  error_code: string | null;
  error_detail: string | null;
}

interface Plan {
  rows: BulkRow[];
  recipient: RecipientRow;
  isNew: boolean;
  assessmentId: string;
  programmeId: string;
  certificateId: string;
  lines: ProgrammeRow['lines'];
  quote: CertificateQuote;
}

const groupId = (bulkId: string, firstRow: number, what: string) => uuidV5(`bulk_issue/${bulkId}/${firstRow}/${what}`);

interface PreparedChunk {
  plans: Plan[];
  results: RowResult[];
}

/**
 * The database half of a chunk: rows checked, recipients priced (registry answers cached per file),
 * recipients, assessments, programmes and `issuing` certificates written in one transaction.
 */
async function prepareChunk(ctx: ChunkContext, groups: ParsedRow[][]): Promise<PreparedChunk> {
  const { deps, bulk } = ctx;
  const results: RowResult[] = [];
  const failed = (errors: Map<number, RowError>, group: ParsedRow[]) => {
    for (const r of group) {
      const e = errors.get(r.rowNo)!;
      results.push({ row_no: r.rowNo, snils: r.snils, status: 'failed', certificate_id: null, error_code: e.code, error_detail: e.detail });
    }
  };

  const candidates: ParsedRow[][] = [];
  for (const group of groups) {
    const errors = groupErrors(group);
    if (errors) failed(errors, group);
    else candidates.push(group);
  }

  const services = new Map<string, RegistryService | undefined>();
  await Promise.all(
    [...new Set(candidates.flatMap((g) => g.map((r) => r.row!.serviceCode)))].map(async (code) => services.set(code, await ctx.pricing.service(code))),
  );
  const existing = new Map<string, RecipientRow>();
  const snilsList = candidates.map((g) => g[0]!.row!.snils);
  if (snilsList.length) {
    const rows = await withSqlClient(deps.orm, (client) =>
      sqlOf(client)<RecipientRow>(
        `select id, snils, region_code, last_name, first_name, middle_name, birth_date::text as birth_date, district_code, address, phone, categories,
                own_income::text as own_income, household, created_at, updated_at
           from certificates.recipients where snils = any(?::text[])`,
        [snilsList],
      ),
    );
    for (const r of rows) existing.set(r.snils, r);
  }

  const pricedDeps: Deps = { ...deps, registry: ctx.pricing.registry };
  const em = deps.orm.em.fork();
  const plans: Plan[] = [];
  for (const group of candidates) {
    const rows = group.map((r) => r.row!);
    const first = rows[0]!;
    const lineOrError = programmeLines(rows, services);
    if ('code' in lineOrError) {
      failed(failGroup(group, lineOrError.rowNo, lineOrError), group);
      continue;
    }
    const known = existing.get(first.snils);
    if (known && known.region_code !== bulk.region_code) {
      failed(
        failGroup(group, first.rowNo, {
          code: 'recipient_other_region',
          detail: `Получатель с этим СНИЛС состоит в регистре региона ${known.region_code}; сертификат ему выдаёт орган социальной защиты того региона.`,
        }),
        group,
      );
      continue;
    }
    if (known && !samePerson(known, first)) {
      failed(
        failGroup(group, first.rowNo, {
          code: 'recipient_mismatch',
          detail: `СНИЛС ${formatSnils(first.snils)} в регистре принадлежит получателю ${fullName(known)}, ${known.birth_date} г. р.; в файле — ${[first.lastName, first.firstName, first.middleName].filter(Boolean).join(' ')}, ${first.birthDate} г. р. Проверьте СНИЛС и данные получателя.`,
        }),
        group,
      );
      continue;
    }
    const recipient = known ?? newRecipient(first, bulk);
    let quote: CertificateQuote;
    try {
      quote = await quoteCertificate(pricedDeps, em, recipient, { valid_from: ctx.issuedOn, lines: lineOrError }, ctx.issuedOn, undefined, ctx.parameters);
    } catch (err) {
      // The registry's refusal for this recipient (no cost in force, unknown category) fails this group only.
      if (!(err instanceof AppError) || err.kind !== 'unprocessable') throw err;
      const row = rows.find((r) => r.serviceCode === (err.extensions.service_code as string | undefined)) ?? first;
      failed(failGroup(group, row.rowNo, { code: err.code, detail: err.detail }), group);
      continue;
    }
    plans.push({
      rows,
      recipient,
      isNew: !known,
      assessmentId: groupId(bulk.id, first.rowNo, 'assessment'),
      programmeId: groupId(bulk.id, first.rowNo, 'programme'),
      certificateId: groupId(bulk.id, first.rowNo, 'certificate'),
      lines: lineOrError,
      quote,
    });
  }

  if (plans.length) await withSqlTransaction(deps.orm, (client) => insertPlans(sqlOf(client), ctx, plans));
  return { plans, results };
}

/** The ledger half of a chunk and its outcome: certificates issued or refused, rows reported. */
async function finishChunk(ctx: ChunkContext, { plans, results }: PreparedChunk): Promise<void> {
  const refused = plans.length ? await issueInLedger(ctx, plans) : new Set<string>();
  await withSqlTransaction(ctx.deps.orm, (client) => recordOutcome(sqlOf(client), ctx, plans, refused, results));
}

/**
 * Certificates become `issued` or `refused` (budget_exhausted, with the refusal in the person's
 * history) and every row of the chunk gets its line in the report: one transaction, so the report
 * never says more or less than what happened.
 */
async function recordOutcome(sql: Sql, ctx: ChunkContext, plans: Plan[], refused: Set<string>, results: RowResult[]): Promise<void> {
  const { bulk } = ctx;
  if (plans.length) {
    const updated = await sql<{ id: string; status: string; recipient_id: string; region_code: string }>(
      `update certificates.certificates c set status = v.status, updated_at = clock_timestamp()
         from jsonb_to_recordset(?::jsonb) as v(id uuid, status text)
        where c.id = v.id and c.status = 'issuing'
        returning c.id, c.status, c.recipient_id, c.region_code`,
      [JSON.stringify(plans.map((p) => ({ id: p.certificateId, status: refused.has(p.certificateId) ? 'refused' : 'issued' })))],
    );
    const refusals = updated.filter((c) => c.status === 'refused');
    if (refusals.length) {
      const view = refusalView('budget_exhausted');
      await sql(
        `insert into certificates.refusals (id, recipient_id, region_code, subject_kind, subject_id, code, reason, next_steps, appeal)
         select gen_random_uuid(), r.recipient_id, r.region_code, 'certificate', r.id, ?, ?, ?, ? from jsonb_to_recordset(?::jsonb) as r(id uuid, recipient_id uuid, region_code text)`,
        [view.code, view.reason, view.next_steps, view.appeal, JSON.stringify(refusals.map(({ id, recipient_id, region_code }) => ({ id, recipient_id, region_code })))],
      );
    }
    const statuses = new Map(
      (await sql<{ id: string; status: string }>(`select id, status from certificates.certificates where id = any(?::uuid[])`, [plans.map((p) => p.certificateId)])).map(
        (c) => [c.id, c.status],
      ),
    );
    const refusal = refusalView('budget_exhausted');
    for (const plan of plans) {
      const status = statuses.get(plan.certificateId);
      if (status === 'issuing' || status === undefined) {
        throw new AppError('unavailable', 'issue_incomplete', `Сертификат ${plan.certificateId} ещё не проведён в леджере; обработка файла продолжится при повторе.`);
      }
      for (const row of plan.rows) {
        results.push(
          status === 'refused'
            ? { row_no: row.rowNo, snils: row.snils, status: 'failed', certificate_id: plan.certificateId, error_code: 'budget_exhausted', error_detail: `${refusal.reason} ${refusal.next_steps}` }
            : { row_no: row.rowNo, snils: row.snils, status: 'issued', certificate_id: plan.certificateId, error_code: null, error_detail: null },
        );
      }
    }
  }
  await sql(
    `with ins as (
       insert into certificates.bulk_issue_rows (bulk_issue_id, row_no, snils, status, certificate_id, error_code, error_detail)
       select ?, r.row_no, r.snils, r.status, r.certificate_id, r.error_code, r.error_detail
         from jsonb_to_recordset(?::jsonb) as r(row_no int, snils text, status text, certificate_id uuid, error_code text, error_detail text)
       on conflict (bulk_issue_id, row_no) do nothing
       returning status)
     update certificates.bulk_issues set processed_rows = processed_rows + (select count(*) from ins),
       issued = issued + (select count(*) from ins where status = 'issued'), failed = failed + (select count(*) from ins where status = 'failed')
      where id = ?`,
    [bulk.id, JSON.stringify(results), bulk.id],
  );
}

/** A recipient's rows as programme lines, checked against the catalog: the service exists and the volume is within its standard. */
function programmeLines(rows: BulkRow[], services: Map<string, RegistryService | undefined>): ProgrammeRow['lines'] | (RowError & { rowNo: number }) {
  const lines: ProgrammeRow['lines'] = [];
  for (const row of rows) {
    const service = services.get(row.serviceCode);
    if (!service) return { rowNo: row.rowNo, code: 'unknown_service', detail: `В перечне услуг нет услуги с кодом ${row.serviceCode}.` };
    const max = typeof service.standard.max_volume_per_month === 'number' ? service.standard.max_volume_per_month : null;
    if (max !== null && row.volumePerMonth > max) {
      return {
        rowNo: row.rowNo,
        code: 'volume_beyond_standard',
        detail: `Объём «${service.name}» — ${row.volumePerMonth} в месяц — больше предельного по стандарту услуги (${max} в месяц).`,
      };
    }
    lines.push({
      service_code: row.serviceCode,
      volume_per_month: row.volumePerMonth,
      months: row.months,
      service_name: service.name,
      form: service.form,
      unit: service.unit,
      max_volume_per_month: max,
    });
  }
  return lines;
}

/** A registered recipient is reused only when the file names the same person: surname, first name and birth date. */
function samePerson(known: RecipientRow, row: BulkRow): boolean {
  const same = (a: string, b: string) => a.trim().toLocaleLowerCase('ru').replace(/ё/g, 'е') === b.trim().toLocaleLowerCase('ru').replace(/ё/g, 'е');
  return same(known.last_name, row.lastName) && same(known.first_name, row.firstName) && known.birth_date === row.birthDate;
}

function newRecipient(row: BulkRow, bulk: BulkIssueRow): RecipientRow {
  const now = new Date();
  return {
    id: randomUUID(),
    snils: row.snils,
    region_code: bulk.region_code,
    last_name: row.lastName,
    first_name: row.firstName,
    middle_name: row.middleName,
    birth_date: row.birthDate,
    district_code: row.districtCode,
    address: row.address,
    phone: null,
    categories: row.categories,
    own_income: row.ownIncome,
    household: [],
    created_at: now,
    updated_at: now,
  };
}

/** Recipients, recognised assessments, programmes and `issuing` certificates of a chunk: one transaction, one statement per table. */
async function insertPlans(sql: Sql, ctx: ChunkContext, plans: Plan[]): Promise<void> {
  const { bulk, issuedOn } = ctx;
  const fresh = plans.filter((p) => p.isNew);
  if (fresh.length) {
    const inserted = await sql<{ id: string; snils: string }>(
      `insert into certificates.recipients (id, snils, region_code, last_name, first_name, middle_name, birth_date, district_code, address, categories, own_income, created_by)
       select r.id, r.snils, r.region_code, r.last_name, r.first_name, r.middle_name, r.birth_date, r.district_code, r.address, r.categories, r.own_income, r.created_by
         from jsonb_to_recordset(?::jsonb) as r(id uuid, snils text, region_code text, last_name text, first_name text, middle_name text, birth_date date,
              district_code text, address text, categories text[], own_income numeric, created_by text)
       on conflict (snils) do nothing
       returning id, snils`,
      [
        JSON.stringify(
          fresh.map(({ recipient: r }) => ({
            id: r.id,
            snils: r.snils,
            region_code: r.region_code,
            last_name: r.last_name,
            first_name: r.first_name,
            middle_name: r.middle_name,
            birth_date: r.birth_date,
            district_code: r.district_code,
            address: r.address,
            categories: r.categories,
            own_income: r.own_income,
            created_by: bulk.created_by,
          })),
        ),
      ],
    );
    if (inserted.length < fresh.length) {
      // Registered meanwhile by someone else: the certificate goes to the registered person.
      const mine = new Set(inserted.map((r) => r.snils));
      const racing = fresh.filter((p) => !mine.has(p.recipient.snils));
      const found = await sql<{ id: string; snils: string }>(`select id, snils from certificates.recipients where snils = any(?::text[])`, [
        racing.map((p) => p.recipient.snils),
      ]);
      const ids = new Map(found.map((r) => [r.snils, r.id]));
      for (const p of racing) p.recipient = { ...p.recipient, id: ids.get(p.recipient.snils)! };
    }
  }

  await sql(
    `insert into certificates.assessments (id, recipient_id, region_code, source, status, reason, opened_by, opened_on, decision_due, programme_due, decided_by, decided_at)
     select a.id, a.recipient_id, ?, 'bulk_import', 'programme_drawn', a.reason, ?, ?, ?, ?, ?, clock_timestamp()
       from jsonb_to_recordset(?::jsonb) as a(id uuid, recipient_id uuid, reason text)
     on conflict (id) do nothing`,
    [
      bulk.region_code,
      bulk.created_by,
      issuedOn,
      addWorkingDays(issuedOn, DECISION_WORKING_DAYS),
      addWorkingDays(issuedOn, PROGRAMME_WORKING_DAYS),
      bulk.created_by,
      JSON.stringify(
        plans.map((p) => ({
          id: p.assessmentId,
          recipient_id: p.recipient.id,
          reason: `Массовая выдача ${bulk.file_name ? `по файлу «${bulk.file_name}» ` : ''}(${bulk.id}), строки ${p.rows.map((r) => r.rowNo).join(', ')}`,
        })),
      ),
    ],
  );
  await sql(
    `insert into certificates.programmes (id, assessment_id, recipient_id, region_code, valid_from, lines, drawn_by)
     select p.id, p.assessment_id, p.recipient_id, ?, ?, p.lines, ?
       from jsonb_to_recordset(?::jsonb) as p(id uuid, assessment_id uuid, recipient_id uuid, lines jsonb)
     on conflict (id) do nothing`,
    [bulk.region_code, issuedOn, bulk.created_by, JSON.stringify(plans.map((p) => ({ id: p.programmeId, assessment_id: p.assessmentId, recipient_id: p.recipient.id, lines: p.lines })))],
  );
  await sql(
    `insert into certificates.certificates (id, number, recipient_id, programme_id, budget_programme_id, region_code, status, issued_on, valid_from, valid_to,
       gross_amount, fee_amount, value, fee_calculation, issued_by)
     select c.id, ? || '-' || ? || '-' || lpad(nextval('certificates.certificate_numbers')::text, 7, '0'), c.recipient_id, c.programme_id, ?, ?, 'issuing', ?,
            c.valid_from, c.valid_to, c.gross_amount, c.fee_amount, c.value, c.fee_calculation, ?
       from jsonb_to_recordset(?::jsonb) as c(id uuid, recipient_id uuid, programme_id uuid, valid_from date, valid_to date, gross_amount numeric,
            fee_amount numeric, value numeric, fee_calculation jsonb)
     on conflict (id) do nothing`,
    [
      bulk.region_code,
      issuedOn.slice(0, 4),
      bulk.budget_programme_id,
      bulk.region_code,
      issuedOn,
      bulk.created_by,
      JSON.stringify(
        plans.map((p) => ({
          id: p.certificateId,
          recipient_id: p.recipient.id,
          programme_id: p.programmeId,
          valid_from: p.quote.validFrom,
          valid_to: p.quote.validTo,
          gross_amount: p.quote.gross.toString(),
          fee_amount: p.quote.fee.toString(),
          value: p.quote.value.toString(),
          fee_calculation: p.quote.feeCalculation,
        })),
      ),
    ],
  );
  await sql(
    `insert into certificates.certificate_lines (id, certificate_id, line_no, service_code, service_name, form, unit, volume_per_month, months, volume,
       unit_cost, cost_breakdown, gross_amount, fee_amount, net_amount)
     select gen_random_uuid(), l.certificate_id, l.line_no, l.service_code, l.service_name, l.form, l.unit, l.volume_per_month, l.months, l.volume,
            l.unit_cost, l.cost_breakdown, l.gross_amount, l.fee_amount, l.net_amount
       from jsonb_to_recordset(?::jsonb) as l(certificate_id uuid, line_no int, service_code text, service_name text, form text, unit text,
            volume_per_month int, months int, volume int, unit_cost numeric, cost_breakdown jsonb, gross_amount numeric, fee_amount numeric, net_amount numeric)
     on conflict (certificate_id, line_no) do nothing`,
    [
      JSON.stringify(
        plans.flatMap((p) =>
          p.quote.lines.map((l, index) => ({
            certificate_id: p.certificateId,
            line_no: index + 1,
            service_code: l.service_code,
            service_name: l.service_name,
            form: l.form,
            unit: l.unit,
            volume_per_month: l.volume_per_month,
            months: l.months,
            volume: l.volume,
            unit_cost: l.unit_cost.toString(),
            cost_breakdown: l.cost_breakdown,
            gross_amount: l.gross.toString(),
            fee_amount: l.fee.toString(),
            net_amount: l.net.toString(),
          })),
        ),
      ),
    ],
  );
}

const LEDGER_BATCH = 8000;

function inBatches<T>(items: T[], size = LEDGER_BATCH): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < items.length; i += size) batches.push(items.slice(i, i + size));
  return batches;
}

/**
 * The ledger half, as completeIssuing does it for one certificate but in batches: open the accounts,
 * move each value from the allocation. Answers the certificates the allocation could not cover.
 * Certificates a previous run already finished are left alone.
 */
async function issueInLedger(ctx: ChunkContext, plans: Plan[]): Promise<Set<string>> {
  const { deps, budgetProgramme } = ctx;
  const current = await withSqlClient(deps.orm, (client) =>
    sqlOf(client)<{ id: string; number: string; value: string; status: string; region_code: string }>(
      `select id, number, value::text as value, status, region_code from certificates.certificates where id = any(?::uuid[])`,
      [plans.map((p) => p.certificateId)],
    ),
  );
  const issuing = current.filter((c) => c.status === 'issuing');
  const refused = new Set<string>();
  if (!issuing.length) return refused;
  const accounts: LedgerAccountInput[] = issuing.map((c) => ({
    id: ledgerAccountIds.certificate(c.id),
    ledger: 'RUB',
    code: 'certificate',
    owner: { type: 'certificate', id: c.id },
    region_code: c.region_code,
    metadata: { number: c.number },
  }));
  for (const batch of inBatches(accounts)) {
    const failed = (await deps.ledger.createAccounts(batch)).find((r) => r.status === 'failed');
    if (failed) throw new AppError('internal', 'ledger_refused', `Леджер не открыл счёт сертификата ${failed.id}: ${failed.code}.`);
  }
  const transfers: LedgerTransferInput[] = issuing
    .filter((c) => Money.parse(c.value).isPositive())
    .map((c) => ({
      id: derivedTransferId(c.id, 'issue'),
      debit_account_id: budgetProgramme.allocation_account_id,
      credit_account_id: ledgerAccountIds.certificate(c.id),
      amount: c.value,
      code: 'issue_certificate',
      reference: `Сертификат ${c.number}`,
    }));
  for (const batch of inBatches(transfers)) {
    const results = await deps.ledger.submitTransfers(batch);
    results.forEach((result, i) => {
      if (result.status !== 'failed') return;
      if (result.code !== 'insufficient_funds') throw new AppError('internal', 'ledger_refused', `Леджер отклонил выдачу: ${result.code}.`);
      refused.add(batch[i]!.credit_account_id!);
    });
  }
  return refused;
}

type Sql = <R = Record<string, unknown>>(text: string, values?: unknown[]) => Promise<R[]>;

/**
 * Statements with `?` placeholders on a raw connection: the parameters go to PostgreSQL as binds,
 * where the ORM would first escape a chunk's megabytes of JSON into the SQL text.
 */
function sqlOf(client: SqlClient): Sql {
  return async <R>(text: string, values: unknown[] = []) => {
    let n = 0;
    const { rows } = await client.query<R>({ text: text.replace(/\?/g, () => `$${++n}`), values });
    return rows;
  };
}
