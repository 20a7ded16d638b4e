import { isDeepStrictEqual } from 'node:util';
import { Money } from '@esc/money';
import { conflict, notFound, withTransaction, type EntityManager } from '@esc/service-kit';
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
export async function openAccount(em: EntityManager, command: OpenAccountCommand): Promise<{ account: store.AccountRow; created: boolean }> {
  const defaults = CHART[command.code].defaultFlags;
  const wanted: store.NewAccount = {
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
  return withTransaction(em, async (tx) => {
    const { row, created } = await store.insertAccount(tx, wanted);
    if (!created) {
      const same = (Object.keys(wanted) as Array<keyof store.NewAccount>).every((key) =>
        // jsonb returns keys in its own order, so compare structure, not text.
        key === 'metadata' ? isDeepStrictEqual(row.metadata, wanted.metadata) : row[key] === wanted[key],
      );
      if (!same) {
        throw conflict('exists_with_different_fields', `Account ${command.id} already exists with other fields; choose a new id for a new account.`);
      }
    }
    return { account: row, created };
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
