import { createHash } from 'node:crypto';

// Fixed forever: every service derives the same ledger account id for the same owner.
const ACCOUNT_NAMESPACE = 'b3f1c2a4-5d6e-4f70-8a9b-0c1d2e3f4a73';

const namespaceBytes = new Map<string, Buffer>();

/** RFC 9562 UUID version 5 (SHA-1 of namespace and name). */
export function uuidV5(name: string, namespace = ACCOUNT_NAMESPACE): string {
  let ns = namespaceBytes.get(namespace);
  if (!ns) namespaceBytes.set(namespace, (ns = Buffer.from(namespace.replace(/-/g, ''), 'hex')));
  const hash = createHash('sha1').update(ns).update(name, 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A few hundred providers and programmes are named on every act: their ids are hashed once. */
const accountIdCache = new Map<string, string>();
function accountId(name: string): string {
  let id = accountIdCache.get(name);
  if (id === undefined) {
    if (accountIdCache.size >= 10_000) accountIdCache.clear();
    accountIdCache.set(name, (id = uuidV5(name)));
  }
  return id;
}

/**
 * Ledger account ids derived from what owns them, so that certificates, settlement and the seed
 * name the same account without asking each other. A certificate's account id is the certificate id.
 */
export const ledgerAccountIds = {
  treasurySource: (regionCode: string) => accountId(`treasury_source/${regionCode}`),
  bankSettled: (regionCode: string) => accountId(`bank_settled/${regionCode}`),
  budgetAllocation: (budgetProgrammeId: string) => accountId(`budget_allocation/${budgetProgrammeId}`),
  providerPayable: (providerId: string) => accountId(`provider_payable/${providerId}`),
  payoutsInTransit: (payoutBatchId: string) => accountId(`payouts_in_transit/${payoutBatchId}`),
  certificate: (certificateId: string) => certificateId,
};

/** Deterministic ids of follow-up transfers (post or void of a hold, reversal), so retries never double them. */
export const derivedTransferId = (baseId: string, purpose: string) => uuidV5(`transfer/${baseId}/${purpose}`);
