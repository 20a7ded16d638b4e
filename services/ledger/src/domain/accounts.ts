import { isDeepStrictEqual } from 'node:util';
import { Money } from '@esc/money';
import type { MikroORM } from '@mikro-orm/postgresql';
import { conflict, notFound, withTransaction, type EntityManager } from '@esc/service-kit';
import { withSqlTransaction } from '@esc/service-kit/hot';
import * as store from '../data-access/account-store';
import { CHART, type AccountCode, type AccountFlags } from './chart';

export interface OpenAccountCommand {
  id: string;
  ledger: string;
  code: AccountCode;
  owner: { type: string; id: string };
  regionCode: string;
  flags?: Partial<AccountFlags>;
  metadata: Record<string, unknown>;
}

export interface AccountBalances {
  debitsPosted: Money;
  creditsPosted: Money;
  debitsPending: Money;
  creditsPending: Money;
}

/** The balance on the account's normal side: what an accountant reads as "how much is there". */
export function normalBalance(code: string, b: AccountBalances): { posted: Money; available: Money } {
  const side = CHART[code as AccountCode]?.normalSide ?? 'credit';
  if (side === 'credit') {
    const posted = b.creditsPosted.subtract(b.debitsPosted);
    return { posted, available: posted.subtract(b.debitsPending) };
  }
  const posted = b.debitsPosted.subtract(b.creditsPosted);
  return { posted, available: posted.subtract(b.creditsPending) };
}

export function balancesOf(row: { debits_posted: string; credits_posted: string; debits_pending: string; credits_pending: string }): AccountBalances {
  return {
    debitsPosted: Money.parse(row.debits_posted),
    creditsPosted: Money.parse(row.credits_posted),
    debitsPending: Money.parse(row.debits_pending),
    creditsPending: Money.parse(row.credits_pending),
  };
}

/** Opening is idempotent by id: the same request again answers the account, other fields conflict. */
function newAccount(command: OpenAccountCommand): store.NewAccount {
  const defaults = CHART[command.code].defaultFlags;
  return {
    id: command.id,
    ledger: command.ledger,
    code: command.code,
    owner_type: command.owner.type,
    owner_id: command.owner.id,
    region_code: command.regionCode,
    debits_must_not_exceed_credits: command.flags?.debitsMustNotExceedCredits ?? defaults.debitsMustNotExceedCredits,
    credits_must_not_exceed_debits: command.flags?.creditsMustNotExceedDebits ?? defaults.creditsMustNotExceedDebits,
    metadata: command.metadata,
  };
}

function sameFields(row: store.AccountRow, wanted: store.NewAccount): boolean {
  return (Object.keys(wanted) as Array<keyof store.NewAccount>).every((key) =>
    // jsonb returns keys in its own order, so compare structure, not text.
    key === 'metadata' ? isDeepStrictEqual(row.metadata, wanted.metadata) : row[key] === wanted[key],
  );
}

export async function openAccount(em: EntityManager, command: OpenAccountCommand): Promise<{ account: store.AccountRow; created: boolean }> {
  const wanted = newAccount(command);
  return withTransaction(em, async (tx) => {
    const { row, created } = await store.insertAccount(tx, wanted);
    if (!created && !sameFields(row, wanted)) {
      throw conflict('exists_with_different_fields', `Account ${command.id} already exists with other fields; choose a new id for a new account.`);
    }
    return { account: row, created };
  });
}

export type OpenAccountResult =
  | { id: string; status: 'created' | 'exists' }
  | { id: string; status: 'failed'; code: 'exists_with_different_fields'; detail: string };

/**
 * Opens many accounts in one transaction, each idempotent by id like `openAccount`: a result per
 * account in order. An id that exists with other fields fails alone; the others are still opened.
 */
export async function openAccounts(orm: MikroORM, commands: OpenAccountCommand[]): Promise<OpenAccountResult[]> {
  const wanted = commands.map(newAccount);
  const { created, existing } = await withSqlTransaction(orm, (sql) => store.insertAccounts(sql, wanted));
  const seen = new Set<string>();
  return wanted.map((account): OpenAccountResult => {
    // The first occurrence of an id in the batch is the one that created it; repeats answer as existing.
    const first = !seen.has(account.id);
    seen.add(account.id);
    if (first && created.has(account.id)) return { id: account.id, status: 'created' };
    const row = existing.get(account.id);
    const same = row ? sameFields(row, account) : isDeepStrictEqual(wanted.find((a) => a.id === account.id), account);
    if (same) return { id: account.id, status: 'exists' };
    return {
      id: account.id,
      status: 'failed',
      code: 'exists_with_different_fields',
      detail: `Account ${account.id} already exists with other fields; choose a new id for a new account.`,
    };
  });
}

export async function getAccount(em: EntityManager, id: string): Promise<store.AccountRow> {
  const account = await store.findAccount(em, id);
  if (!account) throw notFound('account_not_found', `There is no account ${id}.`);
  return account;
}

export async function balanceAt(em: EntityManager, id: string, at: Date) {
  const account = await getAccount(em, id);
  const last = await store.lastEntryAt(em, id, at);
  const zero = '0.00';
  const balances = last ?? { debits_posted: zero, credits_posted: zero, debits_pending: zero, credits_pending: zero };
  return { account, balances: balancesOf(balances), lastEntrySeq: last?.seq ?? null };
}
