import type { Money } from '@esc/money';
import type { AccountFlags, Side } from './chart';
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
