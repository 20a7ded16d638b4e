import { v5 as uuidv5 } from 'uuid';
import type { EntityManager } from '@esc/service-kit';
import { findExpiredHolds } from '../data-access/account-store';
import type { TransferOutcome, TransferRequest } from '../domain/model';

/** Fixed namespace: the void for a hold always gets the same id, so a re-run cannot void twice. */
const HOLD_EXPIRY_NAMESPACE = '6f0c7d0e-3c1b-4f7a-9a8e-1d2b3c4d5e6f';

export const holdExpiryVoidId = (holdId: string) => uuidv5(holdId, HOLD_EXPIRY_NAMESPACE);

/** Voids every hold past its timeout; returns how many it voided. */
export async function expireHolds(em: EntityManager, apply: (group: TransferRequest[]) => Promise<TransferOutcome[]>): Promise<number> {
  let voided = 0;
  for (;;) {
    const holds = await findExpiredHolds(em.fork(), 1000);
    if (holds.length === 0) return voided;
    const outcomes = await apply(
      holds.map((holdId) => ({
        id: holdExpiryVoidId(holdId),
        pendingId: holdId,
        code: 'hold_expired',
        flags: { linked: false, pending: false, postPending: false, voidPending: true },
        timeoutSeconds: 0,
        expiry: true,
      })),
    );
    const created = outcomes.filter((o) => o.status === 'created').length;
    voided += created;
    if (created === 0) return voided;
  }
}
