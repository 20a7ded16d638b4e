import { Money } from '@esc/money';
import type { TransferErrorCode } from './errors';
import { isPersistedRejection } from './errors';
import type {
  AccountState,
  BatchEffects,
  EntryPhase,
  EntryRow,
  LedgerSnapshot,
  StoredTransfer,
  TransferOutcome,
  TransferRequest,
} from './model';

type StepResult = { ok: true; outcome: TransferOutcome } | { ok: false; code: TransferErrorCode; persist: boolean };

const fail = (code: TransferErrorCode, persist = isPersistedRejection(code)): StepResult => ({ ok: false, code, persist });

/**
 * Work done by one linked chain, kept apart until the whole chain succeeds. A failed chain is
 * dropped without touching the batch's state.
 */
class ChainScope {
  readonly accounts = new Map<string, AccountState>();
  readonly created = new Map<string, StoredTransfer>();
  readonly entries: EntryRow[] = [];
  readonly resolved = new Set<string>();
  readonly reversed = new Set<string>();

  constructor(private readonly batch: BatchState) {}

  account(id: string | undefined | null): AccountState | undefined {
    if (!id) return undefined;
    const own = this.accounts.get(id);
    if (own) return own;
    const base = this.batch.accounts.get(id);
    if (!base) return undefined;
    const copy = { ...base };
    this.accounts.set(id, copy);
    return copy;
  }

  stored(id: string): StoredTransfer | undefined {
    return this.created.get(id) ?? this.batch.stored.get(id);
  }

  isResolved(pendingId: string): boolean {
    return this.resolved.has(pendingId) || this.batch.resolved.has(pendingId);
  }

  isReversed(transferId: string): boolean {
    return this.reversed.has(transferId) || this.batch.reversed.has(transferId);
  }

  commit(): void {
    for (const [id, account] of this.accounts) this.batch.accounts.set(id, account);
    for (const [id, transfer] of this.created) {
      this.batch.stored.set(id, transfer);
      this.batch.transfers.push(transfer);
    }
    this.batch.entries.push(...this.entries);
    for (const id of this.resolved) this.batch.resolved.add(id);
    for (const id of this.reversed) this.batch.reversed.add(id);
    for (const id of this.accounts.keys()) this.batch.touched.add(id);
  }
}

interface BatchState {
  accounts: Map<string, AccountState>;
  stored: Map<string, StoredTransfer>;
  resolved: Set<string>;
  reversed: Set<string>;
  transfers: StoredTransfer[];
  entries: EntryRow[];
  touched: Set<string>;
  now: Date;
}

/**
 * Applies transfers in order against balances read under row locks. Pure: the caller persists the
 * effects in the same transaction. Each group is one client request; linked chains never cross groups.
 */
export function applyBatch(groups: TransferRequest[][], snapshot: LedgerSnapshot): BatchEffects {
  const state: BatchState = {
    accounts: new Map(snapshot.accounts),
    stored: new Map([...snapshot.pendings, ...snapshot.existing]),
    resolved: new Set(snapshot.resolvedPendingIds),
    reversed: new Set(snapshot.reversedIds),
    transfers: [],
    entries: [],
    touched: new Set(),
    now: snapshot.now,
  };
  const outcomes = groups.map((group) => applyGroup(group, state));
  return {
    outcomes,
    transfers: state.transfers,
    entries: state.entries,
    accounts: [...state.touched].map((id) => state.accounts.get(id)!),
  };
}

function applyGroup(group: TransferRequest[], state: BatchState): TransferOutcome[] {
  const outcomes: TransferOutcome[] = new Array(group.length);
  let start = 0;
  while (start < group.length) {
    let end = start;
    while (end < group.length && group[end]!.flags.linked) end++;
    if (end === group.length) {
      for (let k = start; k < group.length; k++) outcomes[k] = { id: group[k]!.id, status: 'failed', code: 'linked_event_chain_open' };
      break;
    }
    const scope = new ChainScope(state);
    let failure: { index: number; code: TransferErrorCode; persist: boolean } | undefined;
    for (let k = start; k <= end; k++) {
      const step = applyOne(group[k]!, scope, state.now);
      if (!step.ok) {
        failure = { index: k, code: step.code, persist: step.persist };
        break;
      }
      outcomes[k] = step.outcome;
    }
    if (!failure) {
      scope.commit();
    } else {
      for (let k = start; k <= end; k++) {
        outcomes[k] = { id: group[k]!.id, status: 'failed', code: k === failure.index ? failure.code : 'linked_event_failed' };
      }
      const rejected = group[failure.index]!;
      if (failure.persist && !state.stored.has(rejected.id)) {
        const row = rejectionRow(rejected, failure.code, state.now);
        state.stored.set(row.id, row);
        state.transfers.push(row);
      }
    }
    start = end + 1;
  }
  return outcomes;
}

function applyOne(request: TransferRequest, scope: ChainScope, now: Date): StepResult {
  const prior = scope.stored(request.id);
  if (prior) return compareWithPrior(request, prior);
  if (request.flags.postPending || request.flags.voidPending) return resolvePending(request, scope, now);
  return applyNew(request, scope, now);
}

function sameOptional<T>(requested: T | undefined, stored: T | null, defaulted: boolean, eq: (a: T, b: T) => boolean): boolean {
  if (requested === undefined) return defaulted || stored === null;
  return stored !== null && eq(requested, stored);
}

const strictEq = <T>(a: T, b: T) => a === b;

/** A retry answers the first outcome; the same id with other fields is a conflict. */
function compareWithPrior(request: TransferRequest, prior: StoredTransfer): StepResult {
  const resolvesHold = request.flags.postPending || request.flags.voidPending;
  // An applied post/void stores the accounts and amount it took from the hold; a retry may omit them.
  const defaulted = resolvesHold && prior.rejection === null;
  const same =
    request.flags.linked === prior.flags.linked &&
    request.flags.pending === prior.flags.pending &&
    request.flags.postPending === prior.flags.postPending &&
    request.flags.voidPending === prior.flags.voidPending &&
    (request.pendingId ?? null) === prior.pendingId &&
    (request.reference ?? null) === prior.reference &&
    request.timeoutSeconds === prior.timeoutSeconds &&
    (request.reversalOf ?? null) === prior.reversalOf &&
    sameOptional(request.debitAccountId, prior.debitAccountId, defaulted, strictEq) &&
    sameOptional(request.creditAccountId, prior.creditAccountId, defaulted, strictEq) &&
    sameOptional(request.amount, prior.amount, defaulted, (a, b) => a.equals(b)) &&
    sameOptional(request.code, prior.code, defaulted, strictEq);
  if (!same) return fail('exists_with_different_fields', false);
  if (prior.rejection) return fail(prior.rejection, false);
  return { ok: true, outcome: { id: request.id, status: 'exists' } };
}

/** a + b, or undefined when the sum is no longer an amount (Money stops below 10^18): the transfer is rejected, not failed. */
function sum(a: Money, b: Money): Money | undefined {
  try {
    return a.add(b);
  } catch (err) {
    if (err instanceof RangeError) return undefined;
    throw err;
  }
}

function violatesConstraints(account: AccountState): TransferErrorCode | undefined {
  const debits = sum(account.debitsPosted, account.debitsPending);
  const credits = sum(account.creditsPosted, account.creditsPending);
  if (!debits || !credits) return 'balance_overflow';
  if (account.flags.debitsMustNotExceedCredits && debits.gt(account.creditsPosted)) return 'insufficient_funds';
  if (account.flags.creditsMustNotExceedDebits && credits.gt(account.debitsPosted)) return 'exceeds_debits';
  return undefined;
}

function entry(account: AccountState, transferId: string, side: 'debit' | 'credit', phase: EntryPhase, amount: Money, pendingDelta: Money, postedDelta: Money, now: Date): EntryRow {
  return {
    accountId: account.id,
    transferId,
    side,
    phase,
    amount,
    pendingDelta,
    postedDelta,
    debitsPosted: account.debitsPosted,
    creditsPosted: account.creditsPosted,
    debitsPending: account.debitsPending,
    creditsPending: account.creditsPending,
    createdAt: now,
  };
}

function applyNew(request: TransferRequest, scope: ChainScope, now: Date): StepResult {
  const debit = scope.account(request.debitAccountId);
  const credit = scope.account(request.creditAccountId);
  if (!debit || !credit) return fail('account_not_found');
  if (debit.id === credit.id) return fail('accounts_must_be_different');
  if (debit.ledger !== credit.ledger) return fail('ledger_mismatch');
  if (request.reversalOf && scope.isReversed(request.reversalOf)) return fail('already_reversed', false);
  const amount = request.amount!;
  const pending = request.flags.pending;

  const debitTotal = sum(pending ? debit.debitsPending : debit.debitsPosted, amount);
  const creditTotal = sum(pending ? credit.creditsPending : credit.creditsPosted, amount);
  if (!debitTotal || !creditTotal) return fail('balance_overflow');
  const debitAfter = pending ? { ...debit, debitsPending: debitTotal } : { ...debit, debitsPosted: debitTotal };
  const creditAfter = pending ? { ...credit, creditsPending: creditTotal } : { ...credit, creditsPosted: creditTotal };
  const violation = violatesConstraints(debitAfter) ?? violatesConstraints(creditAfter);
  if (violation) return fail(violation);
  Object.assign(debit, debitAfter);
  Object.assign(credit, creditAfter);

  const row: StoredTransfer = {
    id: request.id,
    rejection: null,
    debitAccountId: debit.id,
    creditAccountId: credit.id,
    amount,
    ledger: debit.ledger,
    code: request.code ?? null,
    reference: request.reference ?? null,
    flags: request.flags,
    pendingId: null,
    timeoutSeconds: request.timeoutSeconds,
    expiresAt: pending && request.timeoutSeconds > 0 ? new Date(now.getTime() + request.timeoutSeconds * 1000) : null,
    reversalOf: request.reversalOf ?? null,
    expiry: false,
    createdAt: now,
  };
  scope.created.set(row.id, row);
  if (request.reversalOf) scope.reversed.add(request.reversalOf);
  const zero = Money.zero();
  const phase: EntryPhase = pending ? 'pending' : 'posted';
  scope.entries.push(
    entry(debit, row.id, 'debit', phase, amount, pending ? amount : zero, pending ? zero : amount, now),
    entry(credit, row.id, 'credit', phase, amount, pending ? amount : zero, pending ? zero : amount, now),
  );
  return { ok: true, outcome: { id: request.id, status: 'created' } };
}

function resolvePending(request: TransferRequest, scope: ChainScope, now: Date): StepResult {
  const hold = request.pendingId ? scope.stored(request.pendingId) : undefined;
  if (!hold || hold.rejection || !hold.amount) return fail('pending_not_found');
  if (!hold.flags.pending) return fail('pending_not_pending');
  if (scope.isResolved(hold.id)) return fail('pending_already_resolved');
  if (!request.expiry && hold.expiresAt && hold.expiresAt.getTime() <= now.getTime()) return fail('pending_expired');
  if (
    (request.debitAccountId && request.debitAccountId !== hold.debitAccountId) ||
    (request.creditAccountId && request.creditAccountId !== hold.creditAccountId)
  ) {
    return fail('pending_account_mismatch');
  }
  const post = request.flags.postPending;
  const amount = post ? (request.amount ?? hold.amount) : hold.amount;
  if (amount.gt(hold.amount)) return fail('pending_amount_exceeded');

  const debit = scope.account(hold.debitAccountId)!;
  const credit = scope.account(hold.creditAccountId)!;
  const zero = Money.zero();
  const posted = post ? amount : zero;
  const debitPosted = sum(debit.debitsPosted, posted);
  const creditPosted = sum(credit.creditsPosted, posted);
  if (!debitPosted || !creditPosted) return fail('balance_overflow');
  const debitAfter = { ...debit, debitsPending: debit.debitsPending.subtract(hold.amount), debitsPosted: debitPosted };
  const creditAfter = { ...credit, creditsPending: credit.creditsPending.subtract(hold.amount), creditsPosted: creditPosted };
  const violation = violatesConstraints(debitAfter) ?? violatesConstraints(creditAfter);
  if (violation) return fail(violation);
  Object.assign(debit, debitAfter);
  Object.assign(credit, creditAfter);

  const row: StoredTransfer = {
    id: request.id,
    rejection: null,
    debitAccountId: debit.id,
    creditAccountId: credit.id,
    amount,
    ledger: hold.ledger,
    code: request.code ?? hold.code,
    reference: request.reference ?? null,
    flags: request.flags,
    pendingId: hold.id,
    timeoutSeconds: request.timeoutSeconds,
    expiresAt: null,
    reversalOf: null,
    expiry: request.expiry ?? false,
    createdAt: now,
  };
  scope.created.set(row.id, row);
  scope.resolved.add(hold.id);
  const phase: EntryPhase = post ? 'post_pending' : 'void_pending';
  const released = hold.amount.negate();
  scope.entries.push(
    entry(debit, row.id, 'debit', phase, amount, released, posted, now),
    entry(credit, row.id, 'credit', phase, amount, released, posted, now),
  );
  return { ok: true, outcome: { id: request.id, status: 'created' } };
}

function rejectionRow(request: TransferRequest, code: TransferErrorCode, now: Date): StoredTransfer {
  return {
    id: request.id,
    rejection: code,
    debitAccountId: request.debitAccountId ?? null,
    creditAccountId: request.creditAccountId ?? null,
    amount: request.amount ?? null,
    ledger: null,
    code: request.code ?? null,
    reference: request.reference ?? null,
    flags: request.flags,
    pendingId: request.pendingId ?? null,
    timeoutSeconds: request.timeoutSeconds,
    expiresAt: null,
    reversalOf: request.reversalOf ?? null,
    expiry: false,
    createdAt: now,
  };
}
