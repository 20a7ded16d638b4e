import { randomUUID } from 'node:crypto';
import { Money } from '@esc/money';
import { ledgerAccountIds, type LedgerClient } from '@esc/ledger-client';
import { AppError, conflict, notFound, type Principal, type Sql } from '@esc/service-kit';
import * as batchStore from '../data-access/batch-store';
import { writeBatchAwaitingApproval } from '../data-access/notice-event-store';
import * as paymentOrderStore from '../data-access/payment-order-store';
import type { BatchRow, PayoutRow } from '../data-access/batch-store';
import { inRawTransaction, onRawConnection } from '../data-access/connections';
import { compensationEarnedByProvider } from '../data-access/run-store';
import type { LedgerAccountsReader } from '../clients/ledger-accounts';
import { assertCanReadRegion, assertFinanceOf } from './access';
import { decideApproval } from './approval';
import { businessDateTime, regionTimeZone } from './business-time';
import type { Deps } from './context';
import { toOneC, toPain001, toPayoutCsv, type ExportFile, type ExportFormat, type OrderedPayout, type PaymentFileInput } from './exports';
import { openPayoutsInTransit, payoutTransferIds, postAll } from './ledger-postings';
import { paymentOrderNumbers } from './payment-orders';
import { planPayouts, providersWithoutDetails } from './payout-plan';
import { assertRunCompleted, findRun } from './runs';
import { audit } from '../data-access/audit-store';

export type { BatchRow, PayoutRow };

/** The batch, or 404: for a helper inside someone else's connection or transaction. */
export async function findBatch(sql: Sql, id: string): Promise<BatchRow> {
  const batch = await batchStore.findBatch(sql, id);
  if (!batch) throw notFound('batch_not_found', `Реестр выплат ${id} не найден.`, { batch_id: id });
  return batch;
}

/**
 * The providers' payable balances: for many providers the region's payables are read page by page
 * (a few requests), and any payable not found there (opened in another region) one by one.
 */
async function payableBalances(
  ledger: LedgerClient,
  reader: LedgerAccountsReader,
  regionCode: string,
  providerIds: string[],
  concurrency = 16,
): Promise<Map<string, string>> {
  const balances = new Map<string, string>();
  if (providerIds.length > 50) {
    const byAccount = new Map(providerIds.map((id) => [ledgerAccountIds.providerPayable(id), id]));
    for await (const page of reader.list({ code: 'provider_payable', region_code: regionCode })) {
      for (const account of page) {
        const providerId = byAccount.get(account.id);
        if (providerId) balances.set(providerId, Money.parse(account.balance.posted).toString());
      }
    }
  }
  const queue = providerIds.filter((id) => !balances.has(id));
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const account = await ledger.getAccount(ledgerAccountIds.providerPayable(id));
        balances.set(id, account ? Money.parse(account.balance.posted).toString() : Money.zero().toString());
      }
    }),
  );
  return balances;
}

/**
 * Forms the payout batch of a completed run: per compensation provider the period's settled amount,
 * reduced to what the provider's payable holds when a clawback made it smaller (the rest stays
 * withheld against the debt). Bank details are fixed at this moment: the payment file shows them.
 */
export async function createBatch(deps: Deps, principal: Principal, input: { runId: string }): Promise<{ batch: BatchRow; created: boolean }> {
  const { runId } = input;
  const { run, existingId, earned } = await onRawConnection(deps.orm, async (sql) => {
    const run = await findRun(sql, runId);
    assertFinanceOf(principal, run.region_code);
    assertRunCompleted(run);
    const existingId = await batchStore.batchIdOfRun(sql, runId);
    const earned = existingId ? [] : await compensationEarnedByProvider(sql, runId);
    return { run, existingId, earned };
  });
  if (existingId) return { batch: await onRawConnection(deps.orm, (sql) => findBatch(sql, existingId)), created: false };

  const providerIds = earned.map((e) => e.provider_id);
  const [details, balances] = await Promise.all([
    deps.directory.get(providerIds),
    payableBalances(deps.ledger, deps.reader, run.region_code, providerIds),
  ]);
  const missing = providersWithoutDetails(providerIds, details);
  if (missing.length) {
    throw new AppError(
      'unprocessable',
      'provider_details_missing',
      `В реестре поставщиков нет сведений (ИНН, банковские реквизиты) о ${missing.length} поставщик(ах): ${missing.slice(0, 5).join(', ')}. Реестр выплат не сформирован; проверьте записи в реестре поставщиков и повторите.`,
      { provider_ids: missing },
    );
  }
  const plan = planPayouts(earned, balances, details, randomUUID);
  const batchId = randomUUID();

  return inRawTransaction(deps.orm, async (sql) => {
    const inserted = await batchStore.insertDraftBatch(sql, {
      id: batchId,
      runId,
      regionCode: run.region_code,
      period: run.period,
      createdBy: principal.subject,
      payouts: plan.transfers,
      total: plan.total,
    });
    if (!inserted) {
      const otherId = await batchStore.batchIdOfRun(sql, runId);
      return { batch: await findBatch(sql, otherId!), created: false };
    }
    await batchStore.insertPayouts(sql, batchId, run.region_code, plan.payouts);
    await writeBatchAwaitingApproval(sql, batchId);
    const batch = await findBatch(sql, batchId);
    await audit(sql, principal, {
      action: 'batch.created',
      object_type: 'batch',
      object_id: batchId,
      after: { run_id: runId, period: run.period, status: batch.status, payouts: plan.payouts.length, total: plan.total.toString() },
    });
    return { batch, created: true };
  });
}

async function readableBatch(sql: Sql, principal: Principal, id: string): Promise<BatchRow> {
  const batch = await findBatch(sql, id);
  assertCanReadRegion(principal, batch.region_code);
  return batch;
}

export async function getBatch(deps: Deps, principal: Principal, input: { id: string }): Promise<BatchRow> {
  return onRawConnection(deps.orm, (sql) => readableBatch(sql, principal, input.id));
}

export async function batchPayouts(deps: Deps, principal: Principal, input: { id: string }): Promise<PayoutRow[]> {
  return onRawConnection(deps.orm, async (sql) => {
    await readableBatch(sql, principal, input.id);
    return batchStore.payoutsOfBatch(sql, input.id);
  });
}

/**
 * The second officer approves; the ledger postings follow in a job (a batch can hold thousands of
 * payouts). Approving again is answered with the batch as it is.
 */
export async function approveBatch(deps: Deps, principal: Principal, input: { id: string }): Promise<{ batch: BatchRow; queued: boolean }> {
  return inRawTransaction(deps.orm, async (sql) => {
    const batch = await batchStore.lockBatch(sql, input.id);
    if (!batch) throw notFound('batch_not_found', `Реестр выплат ${input.id} не найден.`, { batch_id: input.id });
    if (decideApproval(batch, principal) === 'unchanged') return { batch, queued: false };
    const approving = await batchStore.markBatchApproving(sql, input.id, principal.subject, deps.clock().toISOString());
    await audit(sql, principal, { action: 'batch.approved', object_type: 'batch', object_id: input.id, before: { status: batch.status, created_by: batch.created_by }, after: { status: approving.status } });
    return { batch: approving, queued: true };
  });
}

/**
 * The approval postings (provider payable → payouts in transit), resumable: transfer ids come from the
 * payouts, so after a crash the ledger answers `exists` for what was posted and the rest follows.
 */
export async function postBatch(deps: Deps, _principal: Principal, input: { batchId: string; chunk?: number }): Promise<'approved' | 'nothing_to_do'> {
  const { batchId, chunk = 8000 } = input;
  const batch = await onRawConnection(deps.orm, (sql) => findBatch(sql, batchId));
  if (batch.status !== 'approving') return 'nothing_to_do';
  try {
    const inTransit = await openPayoutsInTransit(deps.ledger, batchId, batch.region_code);
    for (;;) {
      const pending = await onRawConnection(deps.orm, (sql) => batchStore.pendingPayoutsOf(sql, batchId, chunk));
      if (pending.length === 0) break;
      await postAll(
        deps.ledger,
        pending.map((p) => ({
          id: payoutTransferIds.approve(p.id),
          debit_account_id: ledgerAccountIds.providerPayable(p.provider_id),
          credit_account_id: inTransit,
          amount: p.amount,
          code: 'payout_batch_approved',
          reference: p.reference,
        })),
        chunk,
      );
      await inRawTransaction(deps.orm, (sql) => batchStore.markPayoutsInTransit(sql, pending.map((p) => p.id)));
    }
    await onRawConnection(deps.orm, (sql) => batchStore.markBatchApproved(sql, batchId));
    return 'approved';
  } catch (err) {
    await onRawConnection(deps.orm, (sql) => batchStore.recordBatchFailure(sql, batchId, String((err as Error).message).slice(0, 500))).catch(() => undefined);
    throw err;
  }
}

export function assertApproved(batch: BatchRow): void {
  if (batch.status !== 'approved') {
    throw conflict('batch_not_approved', `Платёжный файл выгружается после утверждения реестра вторым сотрудником и проводки в учёте; сейчас статус «${batch.status}».`, {
      batch_id: batch.id,
    });
  }
}

/**
 * The payment orders of a batch's payouts to transfer. The first export draws them up: each gets the
 * next number of the payer account's counter for the year (unique per account and year) and the moment
 * and region time zone it is dated by; every later export repeats them, so the file is the same.
 */
async function paymentOrdersOf(deps: Deps, sql: Sql, batch: BatchRow): Promise<Omit<PaymentFileInput, 'batch' | 'payer'>> {
  const toPay = async () => (await batchStore.payoutsOfBatch(sql, batch.id)).filter((p) => p.status !== 'withheld');
  let payouts = await toPay();
  const unnumbered = payouts.filter((p) => p.payment_order_number === null);
  if (unnumbered.length) {
    const at = deps.clock();
    const timeZone = regionTimeZone(deps.regionTimeZones, batch.region_code);
    const { year } = businessDateTime(at, timeZone);
    const account = deps.payer.account;
    const issued = await paymentOrderStore.takeNumbers(sql, account, year, unnumbered.length);
    const numbers = paymentOrderNumbers(issued, unnumbered.length, account, year);
    await paymentOrderStore.insertPaymentOrders(
      sql,
      unnumbered.map((p, i) => ({ payoutId: p.id, batchId: batch.id, payerAccount: account, year, number: numbers[i]!, drawnUpAt: at.toISOString(), timeZone })),
    );
    payouts = await toPay();
  }
  const [first] = await paymentOrderStore.paymentOrdersOfBatch(sql, batch.id);
  const drawnUp = first ? businessDateTime(new Date(first.drawn_up_at), first.time_zone) : businessDateTime(deps.clock(), regionTimeZone(deps.regionTimeZones, batch.region_code));
  return { payouts: payouts as OrderedPayout[], drawnUp };
}

/**
 * The payment file of an approved batch: one payment order per payout to transfer, numbered and dated
 * (the region's business date) when the batch is first exported. One transaction: a refused file
 * (a name the 1C encoding cannot carry) takes no numbers.
 */
export async function exportBatch(deps: Deps, principal: Principal, input: { id: string; format: ExportFormat }): Promise<ExportFile> {
  return inRawTransaction(deps.orm, async (sql) => {
    const batch = await readableBatch(sql, principal, input.id);
    assertApproved(batch);
    // One first export at a time: a second one waits and finds the numbers taken.
    await batchStore.lockBatch(sql, batch.id);
    const file: PaymentFileInput = { batch, payer: deps.payer, ...(await paymentOrdersOf(deps, sql, batch)) };
    if (input.format === '1c') return toOneC(file);
    if (input.format === 'pain001') return toPain001(file);
    return toPayoutCsv(file);
  });
}
