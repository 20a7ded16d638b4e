import { Money } from '@esc/money';
import type { NewPayout } from '../data-access/batch-store';
import type { ProviderDetails } from '../clients/provider-directory';

/** What one provider is paid of what it earned, given what its payable holds in the ledger. */
export interface PayoutAmounts {
  earned: string;
  withheld: string;
  amount: string;
  withheldReason: string | null;
  status: 'pending' | 'withheld';
}

/**
 * The provider is paid what it earned, but never more than its payable holds: a clawback of an
 * earlier period made the payable smaller, and the difference stays withheld against that debt.
 * A payable at or below zero pays nothing.
 */
export function payoutAmounts(earned: string, payableBalance: string): PayoutAmounts {
  const owed = Money.parse(earned);
  const balance = Money.parse(payableBalance);
  const payable = Money.max(Money.zero(), Money.min(owed, balance));
  const withheld = owed.subtract(payable);
  return {
    earned: owed.toString(),
    withheld: withheld.toString(),
    amount: payable.toString(),
    withheldReason: withheld.isZero()
      ? null
      : `Удержано ${withheld.toString()} руб. в счёт задолженности поставщика: на его расчётном счёте в учёте ${balance.toString()} руб. (возврат или перерасчёт прошлых периодов).`,
    status: payable.isZero() ? 'withheld' : 'pending',
  };
}

export interface PayoutPlan {
  payouts: NewPayout[];
  /** Payouts the bank is to transfer (withheld ones excluded). */
  transfers: number;
  total: string;
}

/**
 * The payouts of a batch, numbered in the order of `earned`, with the bank details as the provider
 * directory gives them now (the payment file shows them). A provider missing from `balances` has an
 * empty payable; every provider must be in `details`.
 */
export function planPayouts(
  earned: ReadonlyArray<{ provider_id: string; earned: string }>,
  balances: ReadonlyMap<string, string>,
  details: ReadonlyMap<string, ProviderDetails>,
  newId: () => string,
): PayoutPlan {
  const payouts = earned.map((e, i): NewPayout => {
    const d = details.get(e.provider_id);
    if (!d) throw new Error(`no provider details for ${e.provider_id}`);
    return {
      id: newId(),
      number: i + 1,
      providerId: e.provider_id,
      ...payoutAmounts(e.earned, balances.get(e.provider_id) ?? '0.00'),
      providerName: d.name,
      inn: d.inn,
      kpp: d.kpp,
      bankBic: d.bank.bic,
      bankAccount: d.bank.account,
      bankName: d.bank.bankName,
      bankCorrespondentAccount: d.bank.correspondentAccount,
    };
  });
  return {
    payouts,
    transfers: payouts.filter((p) => p.status === 'pending').length,
    total: Money.sum(payouts.map((p) => Money.parse(p.amount))).toString(),
  };
}

/** Providers the directory does not know, in the order given. */
export function providersWithoutDetails(providerIds: readonly string[], details: ReadonlyMap<string, ProviderDetails>): string[] {
  return providerIds.filter((id) => !details.get(id));
}
