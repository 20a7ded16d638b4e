import { v5 as uuidv5 } from 'uuid';
import { findExpiredHolds } from '../data-access/transfer-store';
import { SYSTEM_PRINCIPAL, type Deps } from '../domain/context';
import { applyTransfers } from '../domain/transfers';

/** Fixed namespace: the void for a hold always gets the same id, so a re-run cannot void twice. */
const HOLD_EXPIRY_NAMESPACE = '6f0c7d0e-3c1b-4f7a-9a8e-1d2b3c4d5e6f';

export const holdExpiryVoidId = (holdId: string) => uuidv5(holdId, HOLD_EXPIRY_NAMESPACE);

/**
 * A hold committed late (its transaction started before a sweep, its timeout was short) can expire
 * before the sweep that should have seen it; looking this far back catches it.
 */
const SWEEP_OVERLAP_MS = 60 * 60 * 1000;

/**
 * Voids holds past their timeout. A finished sweep leaves no expired hold unresolved, so the next one
 * only looks at holds that expired since (with an overlap): the work stays proportional to what is
 * new, not to every hold the ledger ever had. A new process starts with a full sweep.
 */
export class HoldExpirySweeper {
  private sweptUpTo: Date | undefined;

  constructor(private readonly deps: Deps) {}

  /** Returns how many holds it voided. */
  async sweep(): Promise<number> {
    const startedAt = new Date();
    const since = this.sweptUpTo && new Date(this.sweptUpTo.getTime() - SWEEP_OVERLAP_MS);
    let voided = 0;
    for (;;) {
      const holds = await findExpiredHolds(this.deps.orm.em.fork(), 1000, since);
      if (holds.length === 0) break;
      const outcomes = await applyTransfers(this.deps, SYSTEM_PRINCIPAL, {
        transfers: holds.map((holdId) => ({
          id: holdExpiryVoidId(holdId),
          pendingId: holdId,
          code: 'hold_expired',
          flags: { linked: false, pending: false, postPending: false, voidPending: true },
          timeoutSeconds: 0,
          expiry: true,
        })),
      });
      const created = outcomes.filter((o) => o.status === 'created').length;
      voided += created;
      if (created === 0) break;
    }
    this.sweptUpTo = startedAt;
    return voided;
  }
}
