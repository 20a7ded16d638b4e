import { randomUUID } from 'node:crypto';
import { uuidV5 } from '@esc/ledger-client';
import { AppError, withTransaction, type EntityManager } from '@esc/service-kit';
import type { RegistryClient, RegistryService, RegistryUnitCost } from '../clients/registry-client';
import { insertDrawnAssessmentsIfAbsent, insertProgrammesIfAbsent } from '../data-access/assessment-store';
import * as certificatesOfChunk from '../data-access/bulk-certificate-store';
import { recordRowResults, type BulkIssueRow, type BulkIssueRowResult } from '../data-access/bulk-issue-store';
import { insertRecipientsIfAbsent, recipientIdsWithSnils, recipientsWithSnils } from '../data-access/recipient-store';
import { assessmentDeadlines, type ProgrammeLine } from './assessments';
import type { BudgetProgrammeRow, RegionalParameters } from './budget';
import { failGroup, groupErrors, type BulkRow, type ParsedRow } from './bulk-csv';
import { checkGroup, failedRows, issueOrders, recipientFromRow, refusedForBudget, rowResultsOf } from './bulk-pricing';
import { quoteCertificate, type CertificateQuote } from './certificates';
import type { Deps } from './context';
import type { Recipient } from './recipients';
import { refusalView } from './refusals';
import { writeCertificatesIssuedEvents } from '../data-access/notice-event-store';

export interface ChunkContext {
  deps: Deps;
  bulk: BulkIssueRow;
  issuedOn: string;
  budgetProgramme: BudgetProgrammeRow;
  parameters: RegionalParameters;
  registry: BulkRegistry;
}

/** One registry call per service and per (service, categories) in a file, not per row. */
export class BulkRegistry {
  private readonly services = new Map<string, Promise<RegistryService | undefined>>();
  private readonly costs = new Map<string, Promise<RegistryUnitCost>>();
  /** The registry client quoteCertificate asks, with the unit costs remembered. */
  readonly client: RegistryClient;

  constructor(private readonly upstream: RegistryClient) {
    const costs = this.costs;
    this.client = Object.assign(Object.create(upstream) as RegistryClient, {
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

interface Plan {
  rows: BulkRow[];
  recipient: Recipient;
  isNew: boolean;
  assessmentId: string;
  programmeId: string;
  certificateId: string;
  lines: ProgrammeLine[];
  quote: CertificateQuote;
}

export interface PreparedChunk {
  plans: Plan[];
  results: BulkIssueRowResult[];
}

const groupId = (bulkId: string, firstRow: number, what: string) => uuidV5(`bulk_issue/${bulkId}/${firstRow}/${what}`);

/**
 * The database half of a chunk: rows checked, recipients priced (registry answers cached per file),
 * recipients, assessments, programmes and `issuing` certificates written in one transaction.
 */
export async function prepareChunk(ctx: ChunkContext, groups: ParsedRow[][]): Promise<PreparedChunk> {
  const { deps, bulk } = ctx;
  const results: BulkIssueRowResult[] = [];
  const candidates: ParsedRow[][] = [];
  for (const group of groups) {
    const errors = groupErrors(group);
    if (errors) results.push(...failedRows(group, errors));
    else candidates.push(group);
  }

  const catalog = new Map<string, RegistryService | undefined>();
  await Promise.all(
    [...new Set(candidates.flatMap((g) => g.map((r) => r.row!.serviceCode)))].map(async (code) => catalog.set(code, await ctx.registry.service(code))),
  );
  const em = deps.orm.em.fork();
  const snilsList = candidates.map((g) => g[0]!.row!.snils);
  const registered = new Map((snilsList.length ? await recipientsWithSnils(em, snilsList) : []).map((r) => [r.snils, r]));

  const pricedDeps: Deps = { ...deps, registry: ctx.registry.client };
  const plans: Plan[] = [];
  for (const group of candidates) {
    const rows = group.map((r) => r.row!);
    const first = rows[0]!;
    const known = registered.get(first.snils);
    const checked = checkGroup(rows, catalog, known, bulk.region_code);
    if (checked.failure) {
      results.push(...failedRows(group, failGroup(group, checked.failure.rowNo, checked.failure)));
      continue;
    }
    const programmeLines = checked.lines;
    const recipient = known ?? recipientFromRow(first, bulk.region_code, bulk.created_by, randomUUID(), new Date());
    let quote: CertificateQuote;
    try {
      quote = await quoteCertificate(pricedDeps, em, recipient, { valid_from: ctx.issuedOn, lines: programmeLines }, ctx.issuedOn, undefined, ctx.parameters);
    } catch (err) {
      // The registry's refusal for this recipient (no cost in force, unknown category) fails this group only.
      if (!(err instanceof AppError) || err.kind !== 'unprocessable') throw err;
      const row = rows.find((r) => r.serviceCode === (err.extensions.service_code as string | undefined)) ?? first;
      results.push(...failedRows(group, failGroup(group, row.rowNo, { code: err.code, detail: err.detail })));
      continue;
    }
    plans.push({
      rows,
      recipient,
      isNew: !known,
      assessmentId: groupId(bulk.id, first.rowNo, 'assessment'),
      programmeId: groupId(bulk.id, first.rowNo, 'programme'),
      certificateId: groupId(bulk.id, first.rowNo, 'certificate'),
      lines: programmeLines,
      quote,
    });
  }

  if (plans.length) await withTransaction(deps.orm.em.fork(), (tx) => writePlans(tx, ctx, plans));
  return { plans, results };
}

/** Recipients, recognised assessments, programmes and `issuing` certificates of a chunk: one statement per table. */
async function writePlans(tx: EntityManager, ctx: ChunkContext, plans: Plan[]): Promise<void> {
  const { bulk, issuedOn } = ctx;
  const fresh = plans.filter((p) => p.isNew);
  if (fresh.length) {
    const inserted = await insertRecipientsIfAbsent(tx, fresh.map((p) => p.recipient));
    if (inserted.length < fresh.length) {
      // Registered meanwhile by someone else: the certificate goes to the registered person.
      const mine = new Set(inserted.map((r) => r.snils));
      const racing = fresh.filter((p) => !mine.has(p.recipient.snils));
      const ids = await recipientIdsWithSnils(tx, racing.map((p) => p.recipient.snils));
      for (const p of racing) p.recipient = { ...p.recipient, id: ids.get(p.recipient.snils)! };
    }
  }

  await insertDrawnAssessmentsIfAbsent(
    tx,
    { region_code: bulk.region_code, opened_by: bulk.created_by, opened_on: issuedOn, ...assessmentDeadlines(issuedOn) },
    plans.map((p) => ({
      id: p.assessmentId,
      recipient_id: p.recipient.id,
      reason: `Массовая выдача ${bulk.file_name ? `по файлу «${bulk.file_name}» ` : ''}(${bulk.id}), строки ${p.rows.map((r) => r.rowNo).join(', ')}`,
    })),
  );
  await insertProgrammesIfAbsent(
    tx,
    { region_code: bulk.region_code, valid_from: issuedOn, drawn_by: bulk.created_by },
    plans.map((p) => ({ id: p.programmeId, assessment_id: p.assessmentId, recipient_id: p.recipient.id, lines: p.lines })),
  );
  await certificatesOfChunk.insertIssuingCertificatesIfAbsent(
    tx,
    { region_code: bulk.region_code, budget_programme_id: bulk.budget_programme_id, issued_on: issuedOn, issued_by: bulk.created_by },
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
  );
  await certificatesOfChunk.insertCertificateLinesIfAbsent(
    tx,
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
  );
}

/** The ledger half of a chunk and its outcome: certificates issued or refused, rows reported. */
export async function finishChunk(ctx: ChunkContext, { plans, results }: PreparedChunk): Promise<void> {
  const refused = plans.length ? await issueInLedger(ctx, plans) : new Set<string>();
  await withTransaction(ctx.deps.orm.em.fork(), (tx) => recordOutcome(tx, ctx, plans, refused, results));
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
  const current = await certificatesOfChunk.certificatesToIssue(deps.orm.em.fork(), plans.map((p) => p.certificateId));
  const orders = issueOrders(current, budgetProgramme.allocation_account_id);
  const refused = new Set<string>();
  for (const batch of inBatches(orders.accounts)) {
    const failed = (await deps.ledger.createAccounts(batch)).find((r) => r.status === 'failed');
    if (failed) throw new AppError('internal', 'ledger_refused', `Леджер не открыл счёт сертификата ${failed.id}: ${failed.code}.`);
  }
  for (let start = 0; start < orders.transfers.length; start += LEDGER_BATCH) {
    const results = await deps.ledger.submitTransfers(orders.transfers.slice(start, start + LEDGER_BATCH));
    for (const id of refusedForBudget(orders.transferCertificates.slice(start, start + LEDGER_BATCH), results)) refused.add(id);
  }
  return refused;
}

/**
 * Certificates become `issued` or `refused` (budget_exhausted, with the refusal in the person's
 * history) and every row of the chunk gets its line in the report: one transaction, so the report
 * never says more or less than what happened.
 */
async function recordOutcome(tx: EntityManager, ctx: ChunkContext, plans: Plan[], refused: Set<string>, results: BulkIssueRowResult[]): Promise<void> {
  if (plans.length) {
    const updated = await certificatesOfChunk.settleIssuingCertificates(
      tx,
      plans.map((p) => ({ id: p.certificateId, status: refused.has(p.certificateId) ? 'refused' : 'issued' })),
    );
    await writeCertificatesIssuedEvents(tx, updated.filter((c) => c.status === 'issued').map((c) => c.id));
    const refusal = refusalView('budget_exhausted');
    const refusals = updated.filter((c) => c.status === 'refused');
    if (refusals.length) {
      await certificatesOfChunk.insertCertificateRefusals(tx, refusal, refusals.map(({ id, recipient_id, region_code }) => ({ id, recipient_id, region_code })));
    }
    const statuses = await certificatesOfChunk.certificateStatuses(tx, plans.map((p) => p.certificateId));
    results.push(...rowResultsOf(plans.map((p) => ({ certificateId: p.certificateId, rows: p.rows })), statuses, refusal));
  }
  await recordRowResults(tx, ctx.bulk.id, results);
}
