/** Why a transfer was rejected. Stable codes: clients branch on them and they are stored with the id. */
export const TRANSFER_ERROR_DETAILS = {
  account_not_found: 'The debit or credit account does not exist; open it first.',
  ledger_mismatch: 'The two accounts keep different currencies (ledgers); a transfer stays within one ledger.',
  accounts_must_be_different: 'The debit and credit accounts are the same account.',
  insufficient_funds: 'The debit account may not go below zero and its available balance does not cover the amount.',
  exceeds_debits: 'The credit account may not have more credits than debits, and this transfer would exceed them.',
  balance_overflow: 'The transfer would take a total of the debit or credit account to 10^18 roubles or more, beyond what an amount can be.',
  pending_not_found: 'pending_id does not name a hold in this ledger.',
  pending_not_pending: 'pending_id names a transfer that is not a hold.',
  pending_already_resolved: 'The hold was already posted or voided.',
  pending_expired: 'The hold timed out and is being released; it can no longer be posted or voided.',
  pending_amount_exceeded: 'The amount to post is larger than the hold.',
  pending_account_mismatch: 'The accounts given do not match the hold’s accounts.',
  exists_with_different_fields: 'A transfer with this id already exists with other fields; use a new id for a new transfer.',
  linked_event_failed: 'Another transfer in the same linked chain failed, so none of the chain was applied.',
  already_reversed: 'The transfer was already reversed; a transfer is reversed at most once.',
  linked_event_chain_open: 'The last transfer of the batch has flags.linked set; a chain must end with an unlinked transfer.',
} as const;

export type TransferErrorCode = keyof typeof TRANSFER_ERROR_DETAILS;

/** Codes kept against the id, so a retry after balances change still fails the same way. */
export function isPersistedRejection(code: TransferErrorCode): boolean {
  return code !== 'exists_with_different_fields' && code !== 'already_reversed' && code !== 'linked_event_failed' && code !== 'linked_event_chain_open';
}
