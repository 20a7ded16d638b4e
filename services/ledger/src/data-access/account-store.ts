import type { EntityManager } from '@esc/service-kit';
import type { SqlClient } from '@esc/service-kit/hot';
import { transferColumnsSql, transferFromRow, type TransferRow } from './transfer-store';
import type { StoredTransfer } from '../domain/model';

export interface AccountRow {
  id: string;
  ledger: string;
  code: string;
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
  created_at: Date;
}

const ACCOUNT_COLUMNS = `id, ledger, code, owner_type, owner_id, region_code, debits_must_not_exceed_credits,
  credits_must_not_exceed_debits, metadata, debits_posted::text, credits_posted::text, debits_pending::text,
  credits_pending::text, created_at`;

export type NewAccount = Pick<
  AccountRow,
  'id' | 'ledger' | 'code' | 'owner_type' | 'owner_id' | 'region_code' | 'debits_must_not_exceed_credits' | 'credits_must_not_exceed_debits' | 'metadata'
>;

/** Inserts unless the id exists; answers the stored row and whether this call created it. */
export async function insertAccount(em: EntityManager, account: NewAccount): Promise<{ row: AccountRow; created: boolean }> {
  const inserted: AccountRow[] = await em.execute(
    `insert into ledger.accounts (id, ledger, code, owner_type, owner_id, region_code, debits_must_not_exceed_credits,
       credits_must_not_exceed_debits, metadata)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb)
     on conflict (id) do nothing
     returning ${ACCOUNT_COLUMNS}`,
    [
      account.id,
      account.ledger,
      account.code,
      account.owner_type,
      account.owner_id,
      account.region_code,
      account.debits_must_not_exceed_credits,
      account.credits_must_not_exceed_debits,
      JSON.stringify(account.metadata),
    ],
  );
  if (inserted[0]) return { row: inserted[0], created: true };
  const existing = await findAccount(em, account.id);
  return { row: existing!, created: false };
}

/**
 * Inserts many accounts in one statement on a raw connection (the accounts travel as one JSON bind
 * parameter); answers the ids this call created and the stored rows of the ids that already existed.
 */
export async function insertAccounts(sql: SqlClient, accounts: NewAccount[]): Promise<{ created: Set<string>; existing: Map<string, AccountRow> }> {
  const { rows } = await sql.query<{ id: string }>({
    text: `insert into ledger.accounts (id, ledger, code, owner_type, owner_id, region_code, debits_must_not_exceed_credits,
             credits_must_not_exceed_debits, metadata)
           select a.id, a.ledger, a.code, a.owner_type, a.owner_id, a.region_code, a.debits_must_not_exceed_credits,
                  a.credits_must_not_exceed_debits, coalesce(a.metadata, '{}'::jsonb)
             from jsonb_to_recordset($1::jsonb) as a(id uuid, ledger text, code text, owner_type text, owner_id text, region_code text,
                  debits_must_not_exceed_credits boolean, credits_must_not_exceed_debits boolean, metadata jsonb)
           on conflict (id) do nothing
           returning id`,
    values: [JSON.stringify(accounts)],
  });
  const created = new Set(rows.map((r) => r.id));
  const others = accounts.filter((a) => !created.has(a.id)).map((a) => a.id);
  const existing = new Map<string, AccountRow>();
  if (others.length) {
    const found = await sql.query<AccountRow>({ text: `select ${ACCOUNT_COLUMNS} from ledger.accounts where id = any($1::uuid[])`, values: [others] });
    for (const row of found.rows) existing.set(row.id, row);
  }
  return { created, existing };
}

export async function findAccount(em: EntityManager, id: string): Promise<AccountRow | undefined> {
  const rows: AccountRow[] = await em.execute(`select ${ACCOUNT_COLUMNS} from ledger.accounts where id = ?`, [id]);
  return rows[0];
}

export interface AccountFilter {
  ownerType?: string;
  ownerId?: string;
  code?: string;
  regionCode?: string;
  after?: string;
  limit: number;
}

export async function listAccounts(em: EntityManager, filter: AccountFilter): Promise<AccountRow[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, value: unknown) => {
    where.push(sql);
    params.push(value);
  };
  if (filter.ownerType) add('owner_type = ?', filter.ownerType);
  if (filter.ownerId) add('owner_id = ?', filter.ownerId);
  if (filter.code) add('code = ?', filter.code);
  if (filter.regionCode) add('region_code = ?', filter.regionCode);
  if (filter.after) add('id > ?', filter.after);
  params.push(filter.limit);
  return em.execute(
    `select ${ACCOUNT_COLUMNS} from ledger.accounts ${where.length ? `where ${where.join(' and ')}` : ''} order by id limit ?`,
    params,
  );
}

export interface EntryRecord {
  seq: string;
  account_id: string;
  transfer_id: string;
  side: 'debit' | 'credit';
  phase: 'posted' | 'pending' | 'post_pending' | 'void_pending';
  amount: string;
  pending_delta: string;
  posted_delta: string;
  debits_posted: string;
  credits_posted: string;
  debits_pending: string;
  credits_pending: string;
  created_at: Date;
}

const ENTRY_COLUMNS = `seq::text, account_id, transfer_id, side, phase, amount::text, pending_delta::text, posted_delta::text,
  debits_posted::text, credits_posted::text, debits_pending::text, credits_pending::text, created_at`;

export async function listEntries(
  em: EntityManager,
  accountId: string,
  page: { afterSeq?: string; from?: Date; to?: Date; limit: number },
): Promise<EntryRecord[]> {
  const where = ['account_id = ?'];
  const params: unknown[] = [accountId];
  if (page.afterSeq) {
    where.push('seq > ?::bigint');
    params.push(page.afterSeq);
  }
  if (page.from) {
    where.push('created_at >= ?');
    params.push(page.from);
  }
  if (page.to) {
    where.push('created_at < ?');
    params.push(page.to);
  }
  params.push(page.limit);
  return em.execute(`select ${ENTRY_COLUMNS} from ledger.entries where ${where.join(' and ')} order by seq limit ?`, params);
}

/** Entries of one account are written under its row lock, so seq order is time order for it. */
export async function lastEntryAt(em: EntityManager, accountId: string, at: Date): Promise<EntryRecord | undefined> {
  const rows: EntryRecord[] = await em.execute(
    `select ${ENTRY_COLUMNS} from ledger.entries where account_id = ? and created_at <= ? order by seq desc limit 1`,
    [accountId, at],
  );
  return rows[0];
}

export interface TransferView {
  transfer: StoredTransfer;
  resolution: StoredTransfer | null;
}

export async function findTransfer(em: EntityManager, id: string): Promise<TransferView | undefined> {
  const rows: Array<TransferRow & { kind: 'transfer' | 'resolution' }> = await em.execute(
    `select 'transfer' as kind, ${transferColumnsSql('t')} from ledger.transfers t where t.id = ?
     union all
     select 'resolution', ${transferColumnsSql('r')} from ledger.transfers r where r.pending_id = ? and r.rejection is null`,
    [id, id],
  );
  const transfer = rows.find((r) => r.kind === 'transfer');
  if (!transfer) return undefined;
  const resolution = rows.find((r) => r.kind === 'resolution');
  return { transfer: transferFromRow(transfer), resolution: resolution ? transferFromRow(resolution) : null };
}

/** Holds whose timeout passed (since a given time, when known) and that nobody posted or voided yet. */
export async function findExpiredHolds(em: EntityManager, limit: number, since?: Date): Promise<string[]> {
  const rows: Array<{ id: string }> = await em.execute(
    `select t.id from ledger.transfers t
      where t.expires_at <= clock_timestamp() and t.expires_at > ? and t.rejection is null
        and not exists (select 1 from ledger.transfers r where r.pending_id = t.id and r.rejection is null)
      order by t.expires_at limit ?`,
    [since ?? new Date(0), limit],
  );
  return rows.map((r) => r.id);
}
