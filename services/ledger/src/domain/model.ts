import type { Money } from '@esc/money';
import type { AccountCode, AccountFlags, Side } from './chart';
import type { TransferErrorCode } from './errors';

export interface TransferFlags {
  linked: boolean;
  pending: boolean;
  postPending: boolean;
  voidPending: boolean;
}

/** A transfer as the client asked for it, already checked for shape. */
export interface TransferRequest {
  id: string;
  debitAccountId?: string;
  creditAccountId?: string;
  amount?: Money;
  code?: string;
  reference?: string;
  flags: TransferFlags;
  pendingId?: string;
  timeoutSeconds: number;
  /** Set by the ledger itself: a void written because the hold timed out, or a reversal. */
  expiry?: boolean;
  reversalOf?: string;
}

export interface Balances {
  debitsPosted: Money;
  creditsPosted: Money;
  debitsPending: Money;
  creditsPending: Money;
}

export interface AccountState extends Balances {
  id: string;
  ledger: string;
  flags: AccountFlags;
}

/** A row of the transfers table: an applied transfer, or a rejection kept against its id. */
export interface StoredTransfer {
  id: string;
  rejection: TransferErrorCode | null;
  debitAccountId: string | null;
  creditAccountId: string | null;
  amount: Money | null;
  ledger: string | null;
  code: string | null;
  reference: string | null;
  flags: TransferFlags;
  pendingId: string | null;
  timeoutSeconds: number;
  expiresAt: Date | null;
  reversalOf: string | null;
  expiry: boolean;
  createdAt: Date;
}

export type EntryPhase = 'posted' | 'pending' | 'post_pending' | 'void_pending';

export interface EntryRow extends Balances {
  accountId: string;
  transferId: string;
  side: Side;
  phase: EntryPhase;
  amount: Money;
  pendingDelta: Money;
  postedDelta: Money;
  createdAt: Date;
}

export type TransferOutcome =
  | { id: string; status: 'created' }
  | { id: string; status: 'exists' }
  | { id: string; status: 'failed'; code: TransferErrorCode };

/** What the engine needs to know before applying a batch, read under the accounts' row locks. */
export interface LedgerSnapshot {
  accounts: Map<string, AccountState>;
  /** Rows already stored for the batch's ids. */
  existing: Map<string, StoredTransfer>;
  /** Holds named by pending_id in the batch. */
  pendings: Map<string, StoredTransfer>;
  /** Of those holds, the ones already posted or voided. */
  resolvedPendingIds: Set<string>;
  /** Transfers already reversed, of those named by reversal_of. */
  reversedIds: Set<string>;
  now: Date;
}

export interface BatchEffects {
  outcomes: TransferOutcome[][];
  transfers: StoredTransfer[];
  entries: EntryRow[];
  accounts: AccountState[];
}

/** An account as stored: balances as exact decimal text, the time as ISO 8601. */
export interface AccountRecord {
  id: string;
  ledger: string;
  code: AccountCode;
  owner_type: string;
  owner_id: string;
  region_code: string;
  debits_must_not_exceed_credits: boolean;
  credits_must_not_exceed_debits: boolean;
  metadata: Record<string, unknown>;
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
  created_at: string;
}

/** One side of a transfer on one account as stored, with the account's balances after it. */
export interface EntryRecord {
  seq: string;
  account_id: string;
  transfer_id: string;
  side: Side;
  phase: EntryPhase;
  amount: string;
  pending_delta: string;
  posted_delta: string;
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
  created_at: string;
}

/** A transfer and, for a hold, the transfer that posted or voided it. */
export interface TransferView {
  transfer: StoredTransfer;
  resolution: StoredTransfer | null;
}
