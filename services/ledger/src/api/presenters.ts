import type { ledger } from '@esc/api-types';
import { balancesOf, normalBalance, type BalanceAt, type OpenAccountResult } from '../domain/accounts';
import { CHART, type AccountCode } from '../domain/chart';
import { TRANSFER_ERROR_DETAILS } from '../domain/errors';
import type { InvariantReport } from '../domain/invariants';
import type { AccountRecord, Balances, EntryRecord, TransferOutcome, TransferView } from '../domain/model';
import { pendingStatus } from '../domain/transfer-queries';

type Schemas = ledger.components['schemas'];

function balanceView(code: AccountCode, balances: Balances): Schemas['Balance'] {
  const { posted, available } = normalBalance(code, balances);
  return { posted: posted.toString(), available: available.toString() };
}

export function accountView(account: AccountRecord): Schemas['Account'] {
  return {
    id: account.id,
    ledger: account.ledger,
    code: account.code,
    normal_side: CHART[account.code]?.normalSide ?? 'credit',
    owner: { type: account.owner_type, id: account.owner_id },
    region_code: account.region_code,
    flags: {
      debits_must_not_exceed_credits: account.debits_must_not_exceed_credits,
      credits_must_not_exceed_debits: account.credits_must_not_exceed_debits,
    },
    metadata: account.metadata,
    debits_posted: account.debits_posted,
    credits_posted: account.credits_posted,
    debits_pending: account.debits_pending,
    credits_pending: account.credits_pending,
    balance: balanceView(account.code, balancesOf(account)),
    created_at: account.created_at,
  };
}

export function accountBatchResultView(results: OpenAccountResult[]): Schemas['AccountBatchResult'] {
  return {
    results,
    created: results.filter((r) => r.status === 'created').length,
    existed: results.filter((r) => r.status === 'exists').length,
    failed: results.filter((r) => r.status === 'failed').length,
  };
}

export function balanceAtView({ account, balances, lastEntrySeq }: BalanceAt, at: Date): Schemas['BalanceAt'] {
  return {
    account_id: account.id,
    at: at.toISOString(),
    debits_posted: balances.debitsPosted.toString(),
    credits_posted: balances.creditsPosted.toString(),
    debits_pending: balances.debitsPending.toString(),
    credits_pending: balances.creditsPending.toString(),
    balance: balanceView(account.code, balances),
    last_entry_seq: lastEntrySeq,
  };
}

export function entryView(entry: EntryRecord): Schemas['Entry'] {
  return {
    seq: entry.seq,
    account_id: entry.account_id,
    transfer_id: entry.transfer_id,
    side: entry.side,
    phase: entry.phase,
    amount: entry.amount,
    pending_delta: entry.pending_delta,
    posted_delta: entry.posted_delta,
    debits_posted: entry.debits_posted,
    credits_posted: entry.credits_posted,
    debits_pending: entry.debits_pending,
    credits_pending: entry.credits_pending,
    created_at: entry.created_at,
  };
}

/** Only applied transfers are shown (a rejection answers as a problem): they have both accounts, an amount, a ledger and a code. */
export function transferView(view: TransferView): Schemas['Transfer'] {
  const t = view.transfer;
  return {
    id: t.id,
    debit_account_id: t.debitAccountId!,
    credit_account_id: t.creditAccountId!,
    amount: t.amount!.toString(),
    ledger: t.ledger!,
    code: t.code!,
    reference: t.reference,
    flags: { linked: t.flags.linked, pending: t.flags.pending, post_pending: t.flags.postPending, void_pending: t.flags.voidPending },
    pending_id: t.pendingId,
    timeout_seconds: t.timeoutSeconds,
    expires_at: t.expiresAt?.toISOString() ?? null,
    pending_status: pendingStatus(view),
    reversal_of: t.reversalOf,
    created_at: t.createdAt.toISOString(),
  };
}

/** Every transfer's outcome, a failure with what its code means. */
export function transferResultViews(outcomes: TransferOutcome[]): Schemas['TransferResult'][] {
  return outcomes.map((o) => (o.status === 'failed' ? { ...o, detail: TRANSFER_ERROR_DETAILS[o.code] } : o));
}

export function transferBatchResultView(results: Schemas['TransferResult'][]): Schemas['TransferBatchResult'] {
  let created = 0;
  let existed = 0;
  for (const r of results) {
    if (r.status === 'created') created++;
    else if (r.status === 'exists') existed++;
  }
  return { results, created, existed, failed: results.length - created - existed };
}

export function invariantReportView(report: InvariantReport): Schemas['InvariantReport'] {
  return report;
}
