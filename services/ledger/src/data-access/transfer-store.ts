import { Money } from '@esc/money';
import type { EntityManager } from '@esc/service-kit';
import type { TransferErrorCode } from '../domain/errors';
import type { AccountState, BatchEffects, StoredTransfer, TransferFlags } from '../domain/model';

const FLAG_BITS = { linked: 1, pending: 2, postPending: 4, voidPending: 8 } as const;
const EXPIRY_BIT = 16;

export function flagsToBits(flags: TransferFlags, expiry = false): number {
  return (
    (flags.linked ? FLAG_BITS.linked : 0) |
    (flags.pending ? FLAG_BITS.pending : 0) |
    (flags.postPending ? FLAG_BITS.postPending : 0) |
    (flags.voidPending ? FLAG_BITS.voidPending : 0) |
    (expiry ? EXPIRY_BIT : 0)
  );
}

export function bitsToFlags(bits: number): TransferFlags {
  return {
    linked: (bits & FLAG_BITS.linked) !== 0,
    pending: (bits & FLAG_BITS.pending) !== 0,
    postPending: (bits & FLAG_BITS.postPending) !== 0,
    voidPending: (bits & FLAG_BITS.voidPending) !== 0,
  };
}

/** Ids are validated UUIDs, so a PostgreSQL array literal of them needs no escaping. */
export const uuidArray = (ids: Iterable<string>) => `{${[...ids].join(',')}}`;

/** Amounts leave PostgreSQL as text: a JSON number would lose kopecks on large sums. */
export const TRANSFER_JSON = `jsonb_build_object(
  'id', t.id, 'rejection', t.rejection, 'debit_account_id', t.debit_account_id, 'credit_account_id', t.credit_account_id,
  'amount', t.amount::text, 'ledger', t.ledger, 'code', t.code, 'reference', t.reference, 'flags', t.flags,
  'pending_id', t.pending_id, 'timeout_seconds', t.timeout_seconds, 'expires_at', t.expires_at,
  'reversal_of', t.reversal_of, 'created_at', t.created_at)`;

export interface TransferJson {
  id: string;
  rejection: string | null;
  debit_account_id: string | null;
  credit_account_id: string | null;
  amount: string | null;
  ledger: string | null;
  code: string | null;
  reference: string | null;
  flags: number;
  pending_id: string | null;
  timeout_seconds: number;
  expires_at: string | null;
  reversal_of: string | null;
  created_at: string;
}

export function transferFromJson(row: TransferJson): StoredTransfer {
  return {
    id: row.id,
    rejection: row.rejection as TransferErrorCode | null,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amount: row.amount === null ? null : Money.parse(row.amount),
    ledger: row.ledger,
    code: row.code,
    reference: row.reference,
    flags: bitsToFlags(row.flags),
    pendingId: row.pending_id,
    timeoutSeconds: row.timeout_seconds,
    expiresAt: row.expires_at ? new Date(row.expires_at) : null,
    reversalOf: row.reversal_of,
    expiry: (row.flags & EXPIRY_BIT) !== 0,
    createdAt: new Date(row.created_at),
  };
}

export async function findHoldAccounts(em: EntityManager, pendingIds: string[]): Promise<string[]> {
  const rows: Array<{ debit_account_id: string; credit_account_id: string }> = await em.execute(
    `select debit_account_id, credit_account_id from ledger.transfers where id = any(?::uuid[]) and rejection is null`,
    [uuidArray(pendingIds)],
  );
  return rows.flatMap((r) => [r.debit_account_id, r.credit_account_id]);
}

/** Locks in id order so that concurrent batches over overlapping accounts never deadlock. */
export async function lockAccounts(em: EntityManager, accountIds: string[]): Promise<Map<string, AccountState>> {
  const rows: Array<Record<string, string | boolean>> = await em.execute(
    `select id, ledger, debits_must_not_exceed_credits, credits_must_not_exceed_debits,
            debits_posted::text, credits_posted::text, debits_pending::text, credits_pending::text
       from ledger.accounts where id = any(?::uuid[]) order by id for no key update`,
    [uuidArray(accountIds)],
  );
  const accounts = new Map<string, AccountState>();
  for (const row of rows) {
    accounts.set(row.id as string, {
      id: row.id as string,
      ledger: row.ledger as string,
      flags: {
        debitsMustNotExceedCredits: row.debits_must_not_exceed_credits as boolean,
        creditsMustNotExceedDebits: row.credits_must_not_exceed_debits as boolean,
      },
      debitsPosted: Money.parse(row.debits_posted as string),
      creditsPosted: Money.parse(row.credits_posted as string),
      debitsPending: Money.parse(row.debits_pending as string),
      creditsPending: Money.parse(row.credits_pending as string),
    });
  }
  return accounts;
}

export interface TransferFacts {
  existing: Map<string, StoredTransfer>;
  pendings: Map<string, StoredTransfer>;
  resolvedPendingIds: Set<string>;
  reversedIds: Set<string>;
  now: Date;
}

/** Read after the account locks are held, so holds and ids cannot change under the batch. */
export async function readTransferFacts(
  em: EntityManager,
  transferIds: string[],
  pendingIds: string[],
  reversalIds: string[],
): Promise<TransferFacts> {
  const rows: Array<{ kind: string; row: unknown }> = await em.execute(
    `select 'existing' as kind, ${TRANSFER_JSON} as row from ledger.transfers t where t.id = any(?::uuid[])
     union all
     select 'pending', ${TRANSFER_JSON} from ledger.transfers t where t.id = any(?::uuid[]) and t.rejection is null
     union all
     select 'resolved', to_jsonb(t.pending_id) from ledger.transfers t where t.pending_id = any(?::uuid[]) and t.rejection is null
     union all
     select 'reversed', to_jsonb(t.reversal_of) from ledger.transfers t where t.reversal_of = any(?::uuid[]) and t.rejection is null
     union all
     select 'now', to_jsonb(clock_timestamp())`,
    [uuidArray(transferIds), uuidArray(pendingIds), uuidArray(pendingIds), uuidArray(reversalIds)],
  );
  const facts: TransferFacts = { existing: new Map(), pendings: new Map(), resolvedPendingIds: new Set(), reversedIds: new Set(), now: new Date() };
  for (const { kind, row } of rows) {
    if (kind === 'existing') {
      const transfer = transferFromJson(row as TransferJson);
      facts.existing.set(transfer.id, transfer);
    } else if (kind === 'pending') {
      const transfer = transferFromJson(row as TransferJson);
      facts.pendings.set(transfer.id, transfer);
    } else if (kind === 'resolved') facts.resolvedPendingIds.add(row as string);
    else if (kind === 'reversed') facts.reversedIds.add(row as string);
    else facts.now = new Date(row as string);
  }
  return facts;
}

/** Writes a batch's transfers, entries and new balances in one statement. */
export async function persistEffects(em: EntityManager, effects: BatchEffects): Promise<void> {
  if (effects.transfers.length === 0) return;
  const transfers = effects.transfers.map((t) => ({
    id: t.id,
    rejection: t.rejection,
    debit_account_id: t.debitAccountId,
    credit_account_id: t.creditAccountId,
    amount: t.amount?.toString() ?? null,
    ledger: t.ledger,
    code: t.code,
    reference: t.reference,
    flags: flagsToBits(t.flags, t.expiry),
    pending_id: t.pendingId,
    timeout_seconds: t.timeoutSeconds,
    expires_at: t.expiresAt?.toISOString() ?? null,
    reversal_of: t.reversalOf,
    created_at: t.createdAt.toISOString(),
  }));
  const entries = effects.entries.map((e) => ({
    account_id: e.accountId,
    transfer_id: e.transferId,
    side: e.side,
    phase: e.phase,
    amount: e.amount.toString(),
    pending_delta: e.pendingDelta.toString(),
    posted_delta: e.postedDelta.toString(),
    debits_posted: e.debitsPosted.toString(),
    credits_posted: e.creditsPosted.toString(),
    debits_pending: e.debitsPending.toString(),
    credits_pending: e.creditsPending.toString(),
    created_at: e.createdAt.toISOString(),
  }));
  const accounts = effects.accounts.map((a) => ({
    id: a.id,
    debits_posted: a.debitsPosted.toString(),
    credits_posted: a.creditsPosted.toString(),
    debits_pending: a.debitsPending.toString(),
    credits_pending: a.creditsPending.toString(),
  }));
  await em.execute(
    `with new_transfers as (
       insert into ledger.transfers (id, rejection, debit_account_id, credit_account_id, amount, ledger, code, reference, flags,
                                     pending_id, timeout_seconds, expires_at, reversal_of, created_at)
       select id, rejection, debit_account_id, credit_account_id, amount, ledger, code, reference, flags,
              pending_id, timeout_seconds, expires_at, reversal_of, created_at
         from jsonb_to_recordset(?::jsonb) as x(id uuid, rejection text, debit_account_id uuid, credit_account_id uuid,
              amount numeric, ledger text, code text, reference text, flags smallint, pending_id uuid, timeout_seconds integer,
              expires_at timestamptz, reversal_of uuid, created_at timestamptz)
     ), new_entries as (
       insert into ledger.entries (account_id, transfer_id, side, phase, amount, pending_delta, posted_delta,
                                   debits_posted, credits_posted, debits_pending, credits_pending, created_at)
       select account_id, transfer_id, side, phase, amount, pending_delta, posted_delta,
              debits_posted, credits_posted, debits_pending, credits_pending, created_at
         from rows from (jsonb_to_recordset(?::jsonb) as (account_id uuid, transfer_id uuid, side text, phase text,
              amount numeric, pending_delta numeric, posted_delta numeric, debits_posted numeric, credits_posted numeric,
              debits_pending numeric, credits_pending numeric, created_at timestamptz))
              with ordinality as x(account_id, transfer_id, side, phase, amount, pending_delta, posted_delta,
              debits_posted, credits_posted, debits_pending, credits_pending, created_at, n)
        order by n
     )
     update ledger.accounts a
        set debits_posted = x.debits_posted, credits_posted = x.credits_posted,
            debits_pending = x.debits_pending, credits_pending = x.credits_pending
       from jsonb_to_recordset(?::jsonb) as x(id uuid, debits_posted numeric, credits_posted numeric,
            debits_pending numeric, credits_pending numeric)
      where a.id = x.id`,
    [JSON.stringify(transfers), JSON.stringify(entries), JSON.stringify(accounts)],
  );
}
