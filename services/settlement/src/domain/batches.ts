import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { Money } from '@esc/money';
import { ledgerAccountIds, type LedgerClient } from '@esc/ledger-client';
import { AppError, conflict, notFound, type Principal } from '@esc/service-kit';
import { withSqlClient, withSqlTransaction, type SqlClient } from '@esc/service-kit/hot';
import { one, rows } from '../data-access/sql';
import type { LedgerAccountsReader } from '../clients/ledger-accounts';
import type { ProviderDirectory } from '../clients/provider-directory';
import { assertCanReadRegion, assertFinanceOf, fourEyesViolation } from './access';
import { openPayoutsInTransit, payoutTransferIds, postAll } from './ledger-postings';
import { assertRunCompleted, findRun } from './runs';

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
  status: 'pending' | 'in_transit' | 'paid' | 'returned' | 'withheld';
  settled_at: string | null;
  statement_line_id: string | null;
  return_reason: string | null;
}

const BATCH_COLUMNS = `id, run_id, region_code, period, status, created_by, created_at, approved_by, approved_at, posted_at, payouts, total::text, last_error`;
export const PAYOUT_COLUMNS = `id, batch_id, number, reference, provider_id, region_code, earned::text, withheld::text, amount::text, withheld_reason,
  provider_name, inn, kpp, bank_bic, bank_account, bank_name, bank_correspondent_account, status, settled_at, statement_line_id, return_reason`;

export async function findBatch(sql: SqlClient, id: string, lock = false): Promise<BatchRow> {
  const batch = await one<BatchRow>(sql, `select ${BATCH_COLUMNS} from settlement.payout_batches where id = $1 ${lock ? 'for update' : ''}`, [id]);
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
): Promise<Map<string, Money>> {
  const balances = new Map<string, Money>();
  if (providerIds.length > 50) {
    const byAccount = new Map(providerIds.map((id) => [ledgerAccountIds.providerPayable(id), id]));
    for await (const page of reader.list({ code: 'provider_payable', region_code: regionCode })) {
      for (const account of page) {
        const providerId = byAccount.get(account.id);
        if (providerId) balances.set(providerId, Money.parse(account.balance.posted));
      }
    }
  }
  const queue = providerIds.filter((id) => !balances.has(id));
  await Promise.all(
    Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
      for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
        const account = await ledger.getAccount(ledgerAccountIds.providerPayable(id));
        balances.set(id, account ? Money.parse(account.balance.posted) : Money.zero());
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
export async function createBatch(
  orm: MikroORM,
  ledger: LedgerClient,
  reader: LedgerAccountsReader,
  directory: ProviderDirectory,
  principal: Principal,
  runId: string,
): Promise<{ batch: BatchRow; created: boolean }> {
  const { run, existing, earned } = await withSqlClient(orm, async (sql) => {
    const run = await findRun(sql, runId);
    assertFinanceOf(principal, run.region_code);
    assertRunCompleted(run);
    const existing = await one<{ id: string }>(sql, `select id from settlement.payout_batches where run_id = $1`, [runId]);
    const earned = existing
      ? []
      : await rows<{ provider_id: string; earned: string }>(
          sql,
          `select provider_id, sum(amount)::text as earned from settlement.lines
            where run_id = $1 and funding_mode = 'compensation' group by provider_id having sum(amount) > 0 order by provider_id`,
          [runId],
        );
    return { run, existing, earned };
  });
  if (existing) return { batch: await withSqlClient(orm, (sql) => findBatch(sql, existing.id)), created: false };

  const providerIds = earned.map((e) => e.provider_id);
  const [details, balances] = await Promise.all([directory.get(providerIds), payableBalances(ledger, reader, run.region_code, providerIds)]);
  const missing = providerIds.filter((id) => !details.get(id));
  if (missing.length) {
    throw new AppError(
      'unprocessable',
      'provider_details_missing',
      `В реестре поставщиков нет сведений (ИНН, банковские реквизиты) о ${missing.length} поставщик(ах): ${missing.slice(0, 5).join(', ')}. Реестр выплат не сформирован; проверьте записи в реестре поставщиков и повторите.`,
      { provider_ids: missing },
    );
  }

  const batchId = randomUUID();
  const payouts = earned.map((e, i) => {
    const owed = Money.parse(e.earned);
    const balance = balances.get(e.provider_id) ?? Money.zero();
    const payable = Money.max(Money.zero(), Money.min(owed, balance));
    const withheld = owed.subtract(payable);
    const d = details.get(e.provider_id)!;
    return {
      id: randomUUID(),
      number: i + 1,
      providerId: e.provider_id,
      earned: owed.toString(),
      withheld: withheld.toString(),
      amount: payable.toString(),
      withheldReason: withheld.isZero()
        ? null
        : `Удержано ${withheld.toString()} руб. в счёт задолженности поставщика: на его расчётном счёте в учёте ${balance.toString()} руб. (возврат или перерасчёт прошлых периодов).`,
      status: payable.isZero() ? 'withheld' : 'pending',
      d,
    };
  });
  const total = Money.sum(payouts.map((p) => Money.parse(p.amount)));

  return withSqlTransaction(orm, async (sql) => {
    const inserted = await one<{ id: string }>(
      sql,
      `insert into settlement.payout_batches (id, run_id, region_code, period, status, created_by, payouts, total)
       values ($1, $2, $3, $4, 'draft', $5, $6, $7) on conflict (run_id) do nothing returning id`,
      [batchId, runId, run.region_code, run.period, principal.subject, payouts.filter((p) => p.status === 'pending').length, total.toString()],
    );
    if (!inserted) {
      const other = await one<{ id: string }>(sql, `select id from settlement.payout_batches where run_id = $1`, [runId]);
      return { batch: await findBatch(sql, other!.id), created: false };
    }
    const col = <T>(f: (p: (typeof payouts)[number]) => T) => payouts.map(f);
    await sql.query({
      text: `insert into settlement.payouts (id, batch_id, number, reference, provider_id, region_code, earned, withheld, amount, withheld_reason,
               provider_name, inn, kpp, bank_bic, bank_account, bank_name, bank_correspondent_account, status)
             select u.id, $1, u.number, 'ESC' || $2 || lpad(nextval('settlement.payout_reference_seq')::text, 10, '0'), u.provider_id, $2,
                    u.earned, u.withheld, u.amount, u.withheld_reason, u.provider_name, u.inn, u.kpp, u.bic, u.account, u.bank_name, u.corr, u.status
               from unnest($3::uuid[], $4::int[], $5::uuid[], $6::numeric[], $7::numeric[], $8::numeric[], $9::text[], $10::text[], $11::text[],
                           $12::text[], $13::text[], $14::text[], $15::text[], $16::text[], $17::text[])
                    as u(id, number, provider_id, earned, withheld, amount, withheld_reason, provider_name, inn, kpp, bic, account, bank_name, corr, status)
              order by u.number`,
      values: [
        batchId,
        run.region_code,
        col((p) => p.id),
        col((p) => p.number),
        col((p) => p.providerId),
        col((p) => p.earned),
        col((p) => p.withheld),
        col((p) => p.amount),
        col((p) => p.withheldReason),
        col((p) => p.d.name),
        col((p) => p.d.inn),
        col((p) => p.d.kpp),
        col((p) => p.d.bank.bic),
        col((p) => p.d.bank.account),
        col((p) => p.d.bank.bankName),
        col((p) => p.d.bank.correspondentAccount),
        col((p) => p.status),
      ],
    });
    return { batch: await findBatch(sql, batchId), created: true };
  });
}

export async function getBatch(orm: MikroORM, principal: Principal, id: string): Promise<BatchRow> {
  return withSqlClient(orm, async (sql) => {
    const batch = await findBatch(sql, id);
    assertCanReadRegion(principal, batch.region_code);
    return batch;
  });
}

export async function batchPayouts(orm: MikroORM, principal: Principal, id: string): Promise<PayoutRow[]> {
  return withSqlClient(orm, async (sql) => {
    const batch = await findBatch(sql, id);
    assertCanReadRegion(principal, batch.region_code);
    return rows<PayoutRow>(sql, `select ${PAYOUT_COLUMNS} from settlement.payouts where batch_id = $1 order by number`, [id]);
  });
}

/**
 * The second officer approves; the ledger postings follow in a job (a batch can hold thousands of
 * payouts). Approving again is answered with the batch as it is.
 */
export async function approveBatch(orm: MikroORM, principal: Principal, id: string): Promise<{ batch: BatchRow; queued: boolean }> {
  return withSqlTransaction(orm, async (sql) => {
    const batch = await findBatch(sql, id, true);
    assertFinanceOf(principal, batch.region_code);
    if (batch.created_by === principal.subject) throw fourEyesViolation();
    if (batch.status !== 'draft') {
      if (batch.approved_by === principal.subject) return { batch, queued: false };
      throw conflict('batch_already_approved', `Реестр выплат уже утверждён другим сотрудником (${batch.approved_by}).`, { batch_id: id });
    }
    if (batch.payouts === 0) throw conflict('batch_empty', 'В реестре нет выплат к перечислению; утверждать нечего.', { batch_id: id });
    const approved = await one<BatchRow>(
      sql,
      `update settlement.payout_batches set status = 'approving', approved_by = $2, approved_at = now() where id = $1 returning ${BATCH_COLUMNS}`,
      [id, principal.subject],
    );
    return { batch: approved!, queued: true };
  });
}

/**
 * The approval postings (provider payable → payouts in transit), resumable: transfer ids come from the
 * payouts, so after a crash the ledger answers `exists` for what was posted and the rest follows.
 */
export async function postBatch(orm: MikroORM, ledger: LedgerClient, batchId: string, chunk = 8000): Promise<'approved' | 'nothing_to_do'> {
  const batch = await withSqlClient(orm, (sql) => findBatch(sql, batchId));
  if (batch.status !== 'approving') return 'nothing_to_do';
  try {
    const inTransit = await openPayoutsInTransit(ledger, batchId, batch.region_code);
    for (;;) {
      const pending = await withSqlClient(orm, (sql) =>
        rows<{ id: string; provider_id: string; amount: string; reference: string }>(
          sql,
          `select id, provider_id, amount::text, reference from settlement.payouts where batch_id = $1 and status = 'pending' order by number limit $2`,
          [batchId, chunk],
        ),
      );
      if (pending.length === 0) break;
      await postAll(
        ledger,
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
      await withSqlTransaction(orm, (sql) =>
        sql.query({ text: `update settlement.payouts set status = 'in_transit' where id = any($1::uuid[]) and status = 'pending'`, values: [pending.map((p) => p.id)] }),
      );
    }
    await withSqlClient(orm, (sql) =>
      sql.query({ text: `update settlement.payout_batches set status = 'approved', posted_at = now(), last_error = null where id = $1 and status = 'approving'`, values: [batchId] }),
    );
    return 'approved';
  } catch (err) {
    await withSqlClient(orm, (sql) =>
      sql.query({ text: `update settlement.payout_batches set last_error = $2 where id = $1`, values: [batchId, String((err as Error).message).slice(0, 500)] }),
    ).catch(() => undefined);
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
