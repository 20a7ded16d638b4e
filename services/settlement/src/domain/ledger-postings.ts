import { derivedTransferId, ledgerAccountIds, type LedgerClient, type LedgerTransferInput, type LedgerTransferResult } from '@esc/ledger-client';

/** Transfer ids derived from the payout, so a retried or resumed posting is answered `exists`, never doubled. */
export const payoutTransferIds = {
  approve: (payoutId: string) => derivedTransferId(payoutId, 'settlement/approve'),
  confirm: (payoutId: string) => derivedTransferId(payoutId, 'settlement/bank_confirmed'),
  return: (payoutId: string) => derivedTransferId(payoutId, 'settlement/bank_returned'),
};

export class LedgerPostingError extends Error {
  override name = 'LedgerPostingError';
  constructor(readonly failures: LedgerTransferResult[]) {
    super(`ledger refused ${failures.length} transfer(s): ${failures.slice(0, 3).map((f) => `${f.id} ${f.code ?? ''} ${f.detail ?? ''}`).join('; ')}`);
  }
}

export async function openPayoutsInTransit(ledger: LedgerClient, batchId: string, regionCode: string): Promise<string> {
  const id = ledgerAccountIds.payoutsInTransit(batchId);
  await ledger.createAccount({ id, ledger: 'RUB', code: 'payouts_in_transit', owner: { type: 'payout_batch', id: batchId }, region_code: regionCode });
  return id;
}

export async function openBankSettled(ledger: LedgerClient, regionCode: string): Promise<string> {
  const id = ledgerAccountIds.bankSettled(regionCode);
  await ledger.createAccount({ id, ledger: 'RUB', code: 'bank_settled', owner: { type: 'region', id: regionCode }, region_code: regionCode });
  return id;
}

/** Sends transfers in batches of up to 8,000; every one must end created or exists. */
export async function postAll(ledger: LedgerClient, transfers: LedgerTransferInput[], chunk = 8000): Promise<void> {
  for (let i = 0; i < transfers.length; i += chunk) {
    const results = await ledger.submitTransfers(transfers.slice(i, i + chunk));
    const failures = results.filter((r) => r.status === 'failed');
    if (failures.length) throw new LedgerPostingError(failures);
  }
}
