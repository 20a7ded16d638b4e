import { Money } from '@esc/money';
import { sqlOf, type EntityManager } from '@esc/service-kit';
import { plainSqlArray, type SqlClient } from '@esc/service-kit/hot';
import type { TransferErrorCode } from '../domain/errors';
import type { BatchEffects, LedgerSnapshot, StoredTransfer, TransferFlags, TransferView } from '../domain/model';

const FLAG_BITS = { linked: 1, pending: 2, postPending: 4, voidPending: 8 } as const;
const EXPIRY_BIT = 16;

function flagsToBits(flags: TransferFlags, expiry = false): number {
  return (
    (flags.linked ? FLAG_BITS.linked : 0) |
    (flags.pending ? FLAG_BITS.pending : 0) |
    (flags.postPending ? FLAG_BITS.postPending : 0) |
    (flags.voidPending ? FLAG_BITS.voidPending : 0) |
    (expiry ? EXPIRY_BIT : 0)
  );
}

function bitsToFlags(bits: number): TransferFlags {
  return {
    linked: (bits & FLAG_BITS.linked) !== 0,
    pending: (bits & FLAG_BITS.pending) !== 0,
    postPending: (bits & FLAG_BITS.postPending) !== 0,
    voidPending: (bits & FLAG_BITS.voidPending) !== 0,
  };
}

/** A transfer's columns as every read here takes them: amounts as text (exact), times as epoch milliseconds. */
const transferColumnsSql = (alias: string) => `${alias}.id as id, ${alias}.rejection as rejection, ${alias}.debit_account_id as debit_account_id,
         ${alias}.credit_account_id as credit_account_id, ${alias}.amount::text as amount, ${alias}.ledger as ledger, ${alias}.code as code,
         ${alias}.reference as reference, ${alias}.flags as flags, ${alias}.pending_id as pending_id, ${alias}.timeout_seconds as timeout_seconds,
         (extract(epoch from ${alias}.expires_at) * 1000)::float8 as expires_ms, ${alias}.reversal_of as reversal_of,
         (extract(epoch from ${alias}.created_at) * 1000)::float8 as created_ms`;

interface TransferRow {
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
  expires_ms: number | null;
  reversal_of: string | null;
  created_ms: number;
}

/** One row of the locking read: an account, a transfer, or a bare id or time, told apart by kind. */
interface FactRow extends TransferRow {
  kind: 'account' | 'existing' | 'pending' | 'resolved' | 'reversed' | 'now';
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
}

const ACCOUNT_DEBITS_LIMITED = 1;
const ACCOUNT_CREDITS_LIMITED = 2;

function transferFromRow(row: TransferRow, parseMoney: (text: string) => Money = Money.parse): StoredTransfer {
  return {
    id: row.id,
    rejection: row.rejection as TransferErrorCode | null,
    debitAccountId: row.debit_account_id,
    creditAccountId: row.credit_account_id,
    amount: row.amount === null ? null : parseMoney(row.amount),
    ledger: row.ledger,
    code: row.code,
    reference: row.reference,
    flags: bitsToFlags(row.flags),
    pendingId: row.pending_id,
    timeoutSeconds: row.timeout_seconds,
    expiresAt: row.expires_ms === null ? null : new Date(row.expires_ms),
    reversalOf: row.reversal_of,
    expiry: (row.flags & EXPIRY_BIT) !== 0,
    createdAt: new Date(row.created_ms),
  };
}

/**
 * One round trip: lock the accounts (those named and those of the holds resolved) in id order, so
 * overlapping batches never deadlock, and read what exists for the batch's ids. Locked rows come back at their latest committed version. The other reads
 * use the statement's snapshot and may miss a batch that committed while this one waited for a lock;
 * the unique keys on transfer id, hold resolution and reversal turn that into a 23505, and the caller
 * retries with fresh reads. Every kind of row shares one set of typed columns: building and parsing
 * JSON per row cost both sides more than the unused nulls.
 */
export async function lockAccountsAndReadFacts(
  sql: SqlClient,
  accountIds: string[],
  transferIds: string[],
  pendingIds: string[],
  reversalIds: string[],
): Promise<LedgerSnapshot> {
  const { rows } = await sql.query<FactRow>({
    name: 'ledger_lock_and_read_v3',
    // The accounts of the holds being posted or voided are locked too; a transfer's accounts never change,
    // so they are read in the same statement. An array, not an IN list: the planner then keeps to the primary key.
    text: `with locked as (
         select id, ledger, debits_must_not_exceed_credits, credits_must_not_exceed_debits,
                debits_posted, credits_posted, debits_pending, credits_pending
           from ledger.accounts
          where id = any(array(select unnest($1::uuid[])
                               union select unnest(array[h.debit_account_id, h.credit_account_id]) from ledger.transfers h where h.id = any($3::uuid[]) and h.rejection is null))
          order by id for no key update)
       select 'account' as kind, id, null::text as rejection, null::uuid as debit_account_id, null::uuid as credit_account_id,
              null::text as amount, ledger, null::text as code, null::text as reference,
              (debits_must_not_exceed_credits::int * ${ACCOUNT_DEBITS_LIMITED} + credits_must_not_exceed_debits::int * ${ACCOUNT_CREDITS_LIMITED})::smallint as flags,
              null::uuid as pending_id, null::integer as timeout_seconds, null::float8 as expires_ms, null::uuid as reversal_of,
              null::float8 as created_ms, debits_posted::text as debits_posted, credits_posted::text as credits_posted,
              debits_pending::text as debits_pending, credits_pending::text as credits_pending
         from locked
       union all
       select 'existing', ${transferColumnsSql('t')}, null, null, null, null from ledger.transfers t where t.id = any($2::uuid[])
       union all
       select 'pending', ${transferColumnsSql('t')}, null, null, null, null from ledger.transfers t where t.id = any($3::uuid[]) and t.rejection is null
       union all
       select 'resolved', t.pending_id, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null
         from ledger.transfers t where t.pending_id = any($3::uuid[]) and t.rejection is null
       union all
       select 'reversed', t.reversal_of, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null
         from ledger.transfers t where t.reversal_of = any($4::uuid[]) and t.rejection is null
       union all
       select 'now', null, null, null, null, null, null, null, null, null, null, null, null, null,
              (extract(epoch from clock_timestamp()) * 1000)::float8, null, null, null, null`,
    values: [plainSqlArray(accountIds, asIs), plainSqlArray(transferIds, asIs), plainSqlArray(pendingIds, asIs), plainSqlArray(reversalIds, asIs)],
  });
  const facts: LedgerSnapshot = {
    accounts: new Map(),
    existing: new Map(),
    pendings: new Map(),
    resolvedPendingIds: new Set(),
    reversedIds: new Set(),
    now: new Date(),
  };
  // Balances and amounts repeat a lot (zeros, equal fundings); Money is immutable, so equal texts share one.
  const parseMoney = memoized((text: string) => Money.parse(text));
  for (const row of rows) {
    switch (row.kind) {
      case 'account':
        facts.accounts.set(row.id, {
          id: row.id,
          ledger: row.ledger!,
          flags: {
            debitsMustNotExceedCredits: (row.flags & ACCOUNT_DEBITS_LIMITED) !== 0,
            creditsMustNotExceedDebits: (row.flags & ACCOUNT_CREDITS_LIMITED) !== 0,
          },
          debitsPosted: parseMoney(row.debits_posted),
          creditsPosted: parseMoney(row.credits_posted),
          debitsPending: parseMoney(row.debits_pending),
          creditsPending: parseMoney(row.credits_pending),
        });
        break;
      case 'existing': {
        const transfer = transferFromRow(row, parseMoney);
        facts.existing.set(transfer.id, transfer);
        break;
      }
      case 'pending': {
        const transfer = transferFromRow(row, parseMoney);
        facts.pendings.set(transfer.id, transfer);
        break;
      }
      case 'resolved':
        facts.resolvedPendingIds.add(row.id);
        break;
      case 'reversed':
        facts.reversedIds.add(row.id);
        break;
      default:
        facts.now = new Date(row.created_ms);
    }
  }
  return facts;
}

/**
 * Writes a batch's transfers, entries and new balances in one statement. Columns travel as arrays
 * (unnest) rather than JSON records: less to build and parse on both sides. The accounts are also
 * named by `id = any(...)` so that the planner reaches them through the primary key; joined to an
 * unnest alone, it guessed 100 rows and scanned the whole table.
 */
export function persistEffects(sql: SqlClient, effects: BatchEffects): Promise<unknown> {
  const { transfers, entries, accounts } = effects;
  if (transfers.length === 0) return Promise.resolve();
  // A batch repeats the same amounts, balances and time in many rows: each is printed once.
  const money = memoized((m: Money) => m.toString());
  const time = memoized((d: Date) => d.toISOString());
  const optionalMoney = (m: Money | null) => (m === null ? null : money(m));
  return sql.query({
    name: 'ledger_persist_batch_v2',
    text: `with new_transfers as (
       insert into ledger.transfers (id, rejection, debit_account_id, credit_account_id, amount, ledger, code, reference, flags,
                                     pending_id, timeout_seconds, expires_at, reversal_of, created_at)
       select * from unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::numeric[], $6::text[], $7::text[], $8::text[],
                            $9::smallint[], $10::uuid[], $11::integer[], $12::timestamptz[], $13::uuid[], $14::timestamptz[])
     ), new_entries as (
       insert into ledger.entries (account_id, transfer_id, side, phase, amount, pending_delta, posted_delta,
                                   debits_posted, credits_posted, debits_pending, credits_pending, created_at)
       select account_id, transfer_id, side, phase, amount, pending_delta, posted_delta,
              debits_posted, credits_posted, debits_pending, credits_pending, created_at
         from unnest($15::uuid[], $16::uuid[], $17::text[], $18::text[], $19::numeric[], $20::numeric[], $21::numeric[],
                     $22::numeric[], $23::numeric[], $24::numeric[], $25::numeric[], $26::timestamptz[])
              with ordinality as x(account_id, transfer_id, side, phase, amount, pending_delta, posted_delta,
              debits_posted, credits_posted, debits_pending, credits_pending, created_at, n)
        order by n
     )
     update ledger.accounts a
        set debits_posted = x.debits_posted, credits_posted = x.credits_posted,
            debits_pending = x.debits_pending, credits_pending = x.credits_pending
       from unnest($27::uuid[], $28::numeric[], $29::numeric[], $30::numeric[], $31::numeric[])
            as x(id, debits_posted, credits_posted, debits_pending, credits_pending)
      where a.id = x.id and a.id = any($27::uuid[])`,
    values: [
      plainSqlArray(transfers, (t) => t.id),
      transfers.map((t) => t.rejection),
      plainSqlArray(transfers, (t) => t.debitAccountId),
      plainSqlArray(transfers, (t) => t.creditAccountId),
      plainSqlArray(transfers, (t) => optionalMoney(t.amount)),
      transfers.map((t) => t.ledger),
      transfers.map((t) => t.code),
      transfers.map((t) => t.reference),
      plainSqlArray(transfers, (t) => flagsToBits(t.flags, t.expiry)),
      plainSqlArray(transfers, (t) => t.pendingId),
      plainSqlArray(transfers, (t) => t.timeoutSeconds),
      plainSqlArray(transfers, (t) => (t.expiresAt === null ? null : time(t.expiresAt))),
      plainSqlArray(transfers, (t) => t.reversalOf),
      plainSqlArray(transfers, (t) => time(t.createdAt)),
      plainSqlArray(entries, (e) => e.accountId),
      plainSqlArray(entries, (e) => e.transferId),
      plainSqlArray(entries, (e) => e.side),
      plainSqlArray(entries, (e) => e.phase),
      plainSqlArray(entries, (e) => money(e.amount)),
      plainSqlArray(entries, (e) => money(e.pendingDelta)),
      plainSqlArray(entries, (e) => money(e.postedDelta)),
      plainSqlArray(entries, (e) => money(e.debitsPosted)),
      plainSqlArray(entries, (e) => money(e.creditsPosted)),
      plainSqlArray(entries, (e) => money(e.debitsPending)),
      plainSqlArray(entries, (e) => money(e.creditsPending)),
      plainSqlArray(entries, (e) => time(e.createdAt)),
      plainSqlArray(accounts, (a) => a.id),
      plainSqlArray(accounts, (a) => money(a.debitsPosted)),
      plainSqlArray(accounts, (a) => money(a.creditsPosted)),
      plainSqlArray(accounts, (a) => money(a.debitsPending)),
      plainSqlArray(accounts, (a) => money(a.creditsPending)),
    ],
  });
}

export async function findTransfer(em: EntityManager, id: string): Promise<TransferView | undefined> {
  const rows = await sqlOf(em).rows<TransferRow & { kind: 'transfer' | 'resolution' }>(
    `select 'transfer' as kind, ${transferColumnsSql('t')} from ledger.transfers t where t.id = $1
     union all
     select 'resolution', ${transferColumnsSql('r')} from ledger.transfers r where r.pending_id = $1 and r.rejection is null`,
    [id],
  );
  const transfer = rows.find((r) => r.kind === 'transfer');
  if (!transfer) return undefined;
  const resolution = rows.find((r) => r.kind === 'resolution');
  return { transfer: transferFromRow(transfer), resolution: resolution ? transferFromRow(resolution) : null };
}

/**
 * Holds nobody posted or voided and whose timeout has not passed, placed before `placedBefore`, with
 * their resolution (none), in id order after `after`.
 */
export async function findOpenHolds(em: EntityManager, input: { placedBefore: Date; code?: string; after?: string; limit: number }): Promise<TransferView[]> {
  const rows = await sqlOf(em).rows<TransferRow>(
    `select ${transferColumnsSql('t')} from ledger.transfers t
      where (t.flags & ${FLAG_BITS.pending}) <> 0 and (t.expires_at is null or t.expires_at > clock_timestamp()) and t.rejection is null and t.created_at < $1
        and ($2::text is null or t.code = $2) and ($3::uuid is null or t.id > $3)
        and not exists (select 1 from ledger.transfers r where r.pending_id = t.id and r.rejection is null)
      order by t.id limit $4`,
    [input.placedBefore, input.code ?? null, input.after ?? null, input.limit],
  );
  return rows.map((row) => ({ transfer: transferFromRow(row), resolution: null }));
}

/** Holds whose timeout passed (since a given time, when known) and that nobody posted or voided yet. */
export async function findExpiredHolds(em: EntityManager, limit: number, since?: Date): Promise<string[]> {
  const rows = await sqlOf(em).rows<{ id: string }>(
    `select t.id from ledger.transfers t
      where t.expires_at <= clock_timestamp() and t.expires_at > $1 and t.rejection is null
        and not exists (select 1 from ledger.transfers r where r.pending_id = t.id and r.rejection is null)
      order by t.expires_at limit $2`,
    [since ?? new Date(0), limit],
  );
  return rows.map((r) => r.id);
}

const asIs = (uuid: string) => uuid;

function memoized<K, V>(compute: (key: K) => V): (key: K) => V {
  const seen = new Map<K, V>();
  return (key) => {
    let value = seen.get(key);
    if (value === undefined) {
      value = compute(key);
      seen.set(key, value);
    }
    return value;
  };
}
