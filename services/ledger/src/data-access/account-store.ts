import type { MikroORM } from '@mikro-orm/postgresql';
import { sqlOf, sqlOn, type EntityManager } from '@esc/service-kit';
import { withSqlTransaction } from '@esc/service-kit/hot';
import type { AccountRecord, EntryRecord } from '../domain/model';

const ACCOUNT_COLUMNS = `id, ledger, code, owner_type, owner_id, region_code, debits_must_not_exceed_credits,
  credits_must_not_exceed_debits, metadata, debits_posted::text, credits_posted::text, debits_pending::text,
  credits_pending::text, created_at`;

export type NewAccount = Pick<
  AccountRecord,
  'id' | 'ledger' | 'code' | 'owner_type' | 'owner_id' | 'region_code' | 'debits_must_not_exceed_credits' | 'credits_must_not_exceed_debits' | 'metadata'
>;

/** Inserts unless the id exists; answers the stored row and whether this call created it. */
export async function insertAccount(em: EntityManager, account: NewAccount): Promise<{ row: AccountRecord; created: boolean }> {
  const inserted = await sqlOf(em).one<AccountRecord>(
    `insert into ledger.accounts (id, ledger, code, owner_type, owner_id, region_code, debits_must_not_exceed_credits,
       credits_must_not_exceed_debits, metadata)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)
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
  if (inserted) return { row: inserted, created: true };
  const existing = await findAccount(em, account.id);
  return { row: existing!, created: false };
}

/**
 * Inserts many accounts in one transaction on a raw connection (the accounts travel as one JSON bind
 * parameter); answers the ids this call created and the stored rows of the ids that already existed.
 */
export function insertAccounts(orm: MikroORM, accounts: NewAccount[]): Promise<{ created: Set<string>; existing: Map<string, AccountRecord> }> {
  return withSqlTransaction(orm, async (client) => {
    const sql = sqlOn(client);
    const rows = await sql.rows<{ id: string }>(
      `insert into ledger.accounts (id, ledger, code, owner_type, owner_id, region_code, debits_must_not_exceed_credits,
              credits_must_not_exceed_debits, metadata)
       select a.id, a.ledger, a.code, a.owner_type, a.owner_id, a.region_code, a.debits_must_not_exceed_credits,
              a.credits_must_not_exceed_debits, coalesce(a.metadata, '{}'::jsonb)
         from jsonb_to_recordset($1::jsonb) as a(id uuid, ledger text, code text, owner_type text, owner_id text, region_code text,
              debits_must_not_exceed_credits boolean, credits_must_not_exceed_debits boolean, metadata jsonb)
       on conflict (id) do nothing
       returning id`,
      [JSON.stringify(accounts)],
    );
    const created = new Set(rows.map((r) => r.id));
    const others = accounts.filter((a) => !created.has(a.id)).map((a) => a.id);
    const existing = new Map<string, AccountRecord>();
    if (others.length) {
      for (const row of await sql.rows<AccountRecord>(`select ${ACCOUNT_COLUMNS} from ledger.accounts where id = any($1::uuid[])`, [others])) {
        existing.set(row.id, row);
      }
    }
    return { created, existing };
  });
}

export function findAccount(em: EntityManager, id: string): Promise<AccountRecord | undefined> {
  return sqlOf(em).one<AccountRecord>(`select ${ACCOUNT_COLUMNS} from ledger.accounts where id = $1`, [id]);
}

export interface AccountFilter {
  ownerType?: string;
  ownerId?: string;
  code?: string;
  regionCode?: string;
  after?: string;
  limit: number;
}

export function listAccounts(em: EntityManager, filter: AccountFilter): Promise<AccountRecord[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: (param: string) => string, value: unknown) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (filter.ownerType) add((p) => `owner_type = ${p}`, filter.ownerType);
  if (filter.ownerId) add((p) => `owner_id = ${p}`, filter.ownerId);
  if (filter.code) add((p) => `code = ${p}`, filter.code);
  if (filter.regionCode) add((p) => `region_code = ${p}`, filter.regionCode);
  if (filter.after) add((p) => `id > ${p}`, filter.after);
  params.push(filter.limit);
  return sqlOf(em).rows<AccountRecord>(
    `select ${ACCOUNT_COLUMNS} from ledger.accounts ${where.length ? `where ${where.join(' and ')}` : ''} order by id limit $${params.length}`,
    params,
  );
}

const ENTRY_COLUMNS = `seq::text, account_id, transfer_id, side, phase, amount::text, pending_delta::text, posted_delta::text,
  debits_posted::text, credits_posted::text, debits_pending::text, credits_pending::text, created_at`;

export function listEntries(
  em: EntityManager,
  accountId: string,
  page: { afterSeq?: string; from?: Date; to?: Date; limit: number },
): Promise<EntryRecord[]> {
  const params: unknown[] = [accountId];
  const where = ['account_id = $1'];
  const add = (condition: (param: string) => string, value: unknown) => {
    params.push(value);
    where.push(condition(`$${params.length}`));
  };
  if (page.afterSeq) add((p) => `seq > ${p}::bigint`, page.afterSeq);
  if (page.from) add((p) => `created_at >= ${p}`, page.from);
  if (page.to) add((p) => `created_at < ${p}`, page.to);
  params.push(page.limit);
  return sqlOf(em).rows<EntryRecord>(`select ${ENTRY_COLUMNS} from ledger.entries where ${where.join(' and ')} order by seq limit $${params.length}`, params);
}

/** Entries of one account are written under its row lock, so seq order is time order for it. */
export function lastEntryAt(em: EntityManager, accountId: string, at: Date): Promise<EntryRecord | undefined> {
  return sqlOf(em).one<EntryRecord>(
    `select ${ENTRY_COLUMNS} from ledger.entries where account_id = $1 and created_at <= $2 order by seq desc limit 1`,
    [accountId, at],
  );
}
