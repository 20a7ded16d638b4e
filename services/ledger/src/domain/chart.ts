/** The chart of accounts (DOMAIN.md): which side each account grows on and what it may never do. */
export const ACCOUNT_CODES = [
  'treasury_source',
  'budget_allocation',
  'certificate',
  'provider_payable',
  'payouts_in_transit',
  'bank_settled',
] as const;
export type AccountCode = (typeof ACCOUNT_CODES)[number];

export type Side = 'debit' | 'credit';

export interface AccountFlags {
  debitsMustNotExceedCredits: boolean;
  creditsMustNotExceedDebits: boolean;
}

export const CHART: Record<AccountCode, { normalSide: Side; defaultFlags: AccountFlags }> = {
  treasury_source: { normalSide: 'debit', defaultFlags: { debitsMustNotExceedCredits: false, creditsMustNotExceedDebits: false } },
  budget_allocation: { normalSide: 'credit', defaultFlags: { debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: false } },
  certificate: { normalSide: 'credit', defaultFlags: { debitsMustNotExceedCredits: true, creditsMustNotExceedDebits: false } },
  provider_payable: { normalSide: 'credit', defaultFlags: { debitsMustNotExceedCredits: false, creditsMustNotExceedDebits: false } },
  payouts_in_transit: { normalSide: 'credit', defaultFlags: { debitsMustNotExceedCredits: false, creditsMustNotExceedDebits: false } },
  bank_settled: { normalSide: 'debit', defaultFlags: { debitsMustNotExceedCredits: false, creditsMustNotExceedDebits: false } },
};
