import type { AccountRow, EntryRecord, TransferView } from '../data-access/account-store';
import { balancesOf, normalBalance, type AccountBalances } from '../domain/accounts';
import { CHART, type AccountCode } from '../domain/chart';
import { pendingStatus } from '../domain/transfer-queries';

function balanceJson(code: string, balances: AccountBalances) {
  const { posted, available } = normalBalance(code, balances);
  return { posted: posted.toString(), available: available.toString() };
}

export function accountJson(row: AccountRow) {
  return {
    id: row.id,
    ledger: row.ledger,
    code: row.code,
    normal_side: CHART[row.code as AccountCode]?.normalSide ?? 'credit',
    owner: { type: row.owner_type, id: row.owner_id },
    region_code: row.region_code,
    flags: {
      debits_must_not_exceed_credits: row.debits_must_not_exceed_credits,
      credits_must_not_exceed_debits: row.credits_must_not_exceed_debits,
    },
    metadata: row.metadata,
    debits_posted: row.debits_posted,
    credits_posted: row.credits_posted,
    debits_pending: row.debits_pending,
    credits_pending: row.credits_pending,
    balance: balanceJson(row.code, balancesOf(row)),
    created_at: new Date(row.created_at).toISOString(),
  };
}

export function balanceAtJson(account: AccountRow, at: Date, balances: AccountBalances, lastEntrySeq: string | null) {
  return {
    account_id: account.id,
    at: at.toISOString(),
    debits_posted: balances.debitsPosted.toString(),
    credits_posted: balances.creditsPosted.toString(),
    debits_pending: balances.debitsPending.toString(),
    credits_pending: balances.creditsPending.toString(),
    balance: balanceJson(account.code, balances),
    last_entry_seq: lastEntrySeq,
  };
}

export function entryJson(e: EntryRecord) {
  return { ...e, created_at: new Date(e.created_at).toISOString() };
}

export function transferJson(view: TransferView) {
  const t = view.transfer;
  return {
    id: t.id,
    debit_account_id: t.debitAccountId,
    credit_account_id: t.creditAccountId,
    amount: t.amount?.toString() ?? null,
    ledger: t.ledger,
    code: t.code,
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
