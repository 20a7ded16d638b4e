import { Money } from '@esc/money';
import type { SqlClient } from '@esc/service-kit';
import type { TransferErrorCode } from '../domain/errors';
import type { BatchEffects, LedgerSnapshot, StoredTransfer, TransferFlags } from '../domain/model';

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

/** Amounts leave PostgreSQL as text: a JSON number would lose kopecks on large sums. */
export const transferJsonSql = (alias: string) => `jsonb_build_object(
  'id', ${alias}.id, 'rejection', ${alias}.rejection, 'debit_account_id', ${alias}.debit_account_id,
  'credit_account_id', ${alias}.credit_account_id, 'amount', ${alias}.amount::text, 'ledger', ${alias}.ledger,
  'code', ${alias}.code, 'reference', ${alias}.reference, 'flags', ${alias}.flags, 'pending_id', ${alias}.pending_id,
  'timeout_seconds', ${alias}.timeout_seconds, 'expires_at', ${alias}.expires_at, 'reversal_of', ${alias}.reversal_of,
  'created_at', ${alias}.created_at)`;

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

export async function findHoldAccounts(sql: SqlClient, pendingIds: string[]): Promise<string[]> {
  const { rows } = await sql.query<{ debit_account_id: string; credit_account_id: string }>({
    name: 'ledger_hold_accounts',
    text: `select debit_account_id, credit_account_id from ledger.transfers where id = any($1::uuid[]) and rejection is null`,
    values: [pendingIds],
  });
  return rows.flatMap((r) => [r.debit_account_id, r.credit_account_id]);
}


/**
 * One round trip: lock the accounts in id order (so overlapping batches never deadlock) and read what
 * exists for the batch's ids. Locked rows come back at their latest committed version. The other reads
 * use the statement's snapshot and may miss a batch that committed while this one waited for a lock;
 * the unique keys on transfer id, hold resolution and reversal turn that into a 23505, and the caller
 * retries with fresh reads.
 */
export async function lockAccountsAndReadFacts(
  sql: SqlClient,
  accountIds: string[],
  transferIds: string[],
  pendingIds: string[],
  reversalIds: string[],
): Promise<LedgerSnapshot> {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each kind of row has its own JSON shape
  const { rows } = await sql.query<{ kind: string; row: any }>({
    name: 'ledger_lock_and_read',
    text: `with locked as (
         select id, ledger, debits_must_not_exceed_credits, credits_must_not_exceed_debits,
                debits_posted, credits_posted, debits_pending, credits_pending
           from ledger.accounts where id = any($1::uuid[]) order by id for no key update)
       select 'account' as kind, jsonb_build_object('id', id, 'ledger', ledger,
                'dmnec', debits_must_not_exceed_credits, 'cmned', credits_must_not_exceed_debits,
                'dp', debits_posted::text, 'cp', credits_posted::text, 'dpe', debits_pending::text, 'cpe', credits_pending::text) as row
         from locked
       union all
       select 'existing', ${transferJsonSql('t')} from ledger.transfers t where t.id = any($2::uuid[])
       union all
       select 'pending', ${transferJsonSql('t')} from ledger.transfers t where t.id = any($3::uuid[]) and t.rejection is null
       union all
       select 'resolved', to_jsonb(t.pending_id) from ledger.transfers t where t.pending_id = any($3::uuid[]) and t.rejection is null
       union all
       select 'reversed', to_jsonb(t.reversal_of) from ledger.transfers t where t.reversal_of = any($4::uuid[]) and t.rejection is null
       union all
       select 'now', to_jsonb(clock_timestamp())`,
    values: [accountIds, transferIds, pendingIds, reversalIds],
  });
  const facts: LedgerSnapshot = {
    accounts: new Map(),
    existing: new Map(),
    pendings: new Map(),
    resolvedPendingIds: new Set(),
    reversedIds: new Set(),
    now: new Date(),
  };
  for (const { kind, row } of rows) {
    switch (kind) {
      case 'account':
        facts.accounts.set(row.id, {
          id: row.id,
          ledger: row.ledger,
          flags: { debitsMustNotExceedCredits: row.dmnec, creditsMustNotExceedDebits: row.cmned },
          debitsPosted: Money.parse(row.dp),
          creditsPosted: Money.parse(row.cp),
          debitsPending: Money.parse(row.dpe),
          creditsPending: Money.parse(row.cpe),
        });
        break;
      case 'existing': {
        const transfer = transferFromJson(row as TransferJson);
        facts.existing.set(transfer.id, transfer);
        break;
      }
      case 'pending': {
        const transfer = transferFromJson(row as TransferJson);
        facts.pendings.set(transfer.id, transfer);
        break;
      }
      case 'resolved':
        facts.resolvedPendingIds.add(row as string);
        break;
      case 'reversed':
        facts.reversedIds.add(row as string);
        break;
      default:
        facts.now = new Date(row as string);
    }
  }
  return facts;
}

/** Writes a batch's transfers, entries and new balances in one statement. */
export async function persistEffects(sql: SqlClient, effects: BatchEffects): Promise<void> {
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
  await sql.query({
    name: 'ledger_persist_batch',
    text: `with new_transfers as (
       insert into ledger.transfers (id, rejection, debit_account_id, credit_account_id, amount, ledger, code, reference, flags,
                                     pending_id, timeout_seconds, expires_at, reversal_of, created_at)
       select id, rejection, debit_account_id, credit_account_id, amount, ledger, code, reference, flags,
              pending_id, timeout_seconds, expires_at, reversal_of, created_at
         from jsonb_to_recordset($1::jsonb) as x(id uuid, rejection text, debit_account_id uuid, credit_account_id uuid,
              amount numeric, ledger text, code text, reference text, flags smallint, pending_id uuid, timeout_seconds integer,
              expires_at timestamptz, reversal_of uuid, created_at timestamptz)
     ), new_entries as (
       insert into ledger.entries (account_id, transfer_id, side, phase, amount, pending_delta, posted_delta,
                                   debits_posted, credits_posted, debits_pending, credits_pending, created_at)
       select account_id, transfer_id, side, phase, amount, pending_delta, posted_delta,
              debits_posted, credits_posted, debits_pending, credits_pending, created_at
         from rows from (jsonb_to_recordset($2::jsonb) as (account_id uuid, transfer_id uuid, side text, phase text,
              amount numeric, pending_delta numeric, posted_delta numeric, debits_posted numeric, credits_posted numeric,
              debits_pending numeric, credits_pending numeric, created_at timestamptz))
              with ordinality as x(account_id, transfer_id, side, phase, amount, pending_delta, posted_delta,
              debits_posted, credits_posted, debits_pending, credits_pending, created_at, n)
        order by n
     )
     update ledger.accounts a
        set debits_posted = x.debits_posted, credits_posted = x.credits_posted,
            debits_pending = x.debits_pending, credits_pending = x.credits_pending
       from jsonb_to_recordset($3::jsonb) as x(id uuid, debits_posted numeric, credits_posted numeric,
            debits_pending numeric, credits_pending numeric)
      where a.id = x.id`,
    values: [JSON.stringify(transfers), JSON.stringify(entries), JSON.stringify(accounts)],
  });
}
