import { isDeepStrictEqual } from 'node:util';
import { Money } from '@esc/money';
import { conflict, notFound, withTransaction, type Principal } from '@esc/service-kit';
import * as store from '../data-access/account-store';
import { CHART, type AccountCode, type AccountFlags } from './chart';
import type { Deps } from './context';
import type { AccountRecord, Balances, EntryRecord } from './model';

export interface OpenAccountInput {
  id: string;
  ledger: string;
  code: AccountCode;
  owner: { type: string; id: string };
  regionCode: string;
  flags?: Partial<AccountFlags>;
  metadata: Record<string, unknown>;
}

/** The balance on the account's normal side: what an accountant reads as "how much is there". */
export function normalBalance(code: AccountCode, b: Balances): { posted: Money; available: Money } {
  const side = CHART[code]?.normalSide ?? 'credit';
  if (side === 'credit') {
    const posted = b.creditsPosted.subtract(b.debitsPosted);
    return { posted, available: posted.subtract(b.debitsPending) };
  }
  const posted = b.debitsPosted.subtract(b.creditsPosted);
  return { posted, available: posted.subtract(b.creditsPending) };
}

export function balancesOf(row: { debits_posted: string; credits_posted: string; debits_pending: string; credits_pending: string }): Balances {
  return {
    debitsPosted: Money.parse(row.debits_posted),
    creditsPosted: Money.parse(row.credits_posted),
    debitsPending: Money.parse(row.debits_pending),
    creditsPending: Money.parse(row.credits_pending),
  };
}

/** The account an opening asks for, the chart's default flags filled in. */
export function newAccount(input: OpenAccountInput): store.NewAccount {
  const defaults = CHART[input.code].defaultFlags;
  return {
    id: input.id,
    ledger: input.ledger,
    code: input.code,
    owner_type: input.owner.type,
    owner_id: input.owner.id,
    region_code: input.regionCode,
    debits_must_not_exceed_credits: input.flags?.debitsMustNotExceedCredits ?? defaults.debitsMustNotExceedCredits,
    credits_must_not_exceed_debits: input.flags?.creditsMustNotExceedDebits ?? defaults.creditsMustNotExceedDebits,
    metadata: input.metadata,
  };
}

/** Opening is idempotent by id: the same fields again answer the account, other fields conflict. */
export function sameFields(row: AccountRecord, wanted: store.NewAccount): boolean {
  return (Object.keys(wanted) as Array<keyof store.NewAccount>).every((key) =>
    // jsonb returns keys in its own order, so compare structure, not text.
    key === 'metadata' ? isDeepStrictEqual(row.metadata, wanted.metadata) : row[key] === wanted[key],
  );
}

export async function openAccount(deps: Deps, _principal: Principal, input: OpenAccountInput): Promise<{ account: AccountRecord; created: boolean }> {
  const wanted = newAccount(input);
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const { row, created } = await store.insertAccount(tx, wanted);
    if (!created && !sameFields(row, wanted)) {
      throw conflict('exists_with_different_fields', `Account ${input.id} already exists with other fields; choose a new id for a new account.`);
    }
    return { account: row, created };
  });
}

export type OpenAccountResult =
  | { id: string; status: 'created' | 'exists' }
  | { id: string; status: 'failed'; code: 'exists_with_different_fields'; detail: string };

export interface OpenAccountsInput {
  accounts: OpenAccountInput[];
}

/**
 * Opens many accounts in one transaction, each idempotent by id like `openAccount`: a result per
 * account in order. An id that exists with other fields fails alone; the others are still opened.
 */
export async function openAccounts(deps: Deps, _principal: Principal, input: OpenAccountsInput): Promise<OpenAccountResult[]> {
  const wanted = input.accounts.map(newAccount);
  const { created, existing } = await store.insertAccounts(deps.orm, wanted);
  return batchResults(wanted, created, existing);
}

/** Each account's result from what the insert created and what it found already stored. */
export function batchResults(wanted: store.NewAccount[], created: Set<string>, existing: Map<string, AccountRecord>): OpenAccountResult[] {
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

export type ListAccountsInput = store.AccountFilter;

export function listAccounts(deps: Deps, _principal: Principal, input: ListAccountsInput): Promise<AccountRecord[]> {
  return store.listAccounts(deps.orm.em.fork(), input);
}

async function accountOrFail(deps: Deps, id: string): Promise<AccountRecord> {
  const account = await store.findAccount(deps.orm.em.fork(), id);
  if (!account) throw notFound('account_not_found', `There is no account ${id}.`);
  return account;
}

export function getAccount(deps: Deps, _principal: Principal, input: { id: string }): Promise<AccountRecord> {
  return accountOrFail(deps, input.id);
}

export interface ListEntriesInput {
  id: string;
  afterSeq?: string;
  from?: Date;
  to?: Date;
  limit: number;
}

/** An account's entries in sequence order; an unknown account is not found rather than an empty page. */
export async function listEntries(deps: Deps, _principal: Principal, input: ListEntriesInput): Promise<EntryRecord[]> {
  await accountOrFail(deps, input.id);
  return store.listEntries(deps.orm.em.fork(), input.id, input);
}

export interface BalanceAtInput {
  id: string;
  at: Date;
}

export interface BalanceAt {
  account: AccountRecord;
  balances: Balances;
  lastEntrySeq: string | null;
}

/** The account's balances as its last entry at or before `at` left them (zero before its first). */
export async function balanceAt(deps: Deps, _principal: Principal, input: BalanceAtInput): Promise<BalanceAt> {
  const account = await accountOrFail(deps, input.id);
  const last = await store.lastEntryAt(deps.orm.em.fork(), input.id, input.at);
  const zero = '0.00';
  const balances = last ?? { debits_posted: zero, credits_posted: zero, debits_pending: zero, credits_pending: zero };
  return { account, balances: balancesOf(balances), lastEntrySeq: last?.seq ?? null };
}
