import { derivedTransferId } from '@esc/ledger-client';
import { withTransaction, type Principal } from '@esc/service-kit';
import { abandonedHoldsToVoid, claimAbandonedHold, idsWithoutAct, markAbandonedHoldsVoided } from '../data-access/abandoned-hold-store';
import type { Deps } from './context';

/** The ledger code of an act's hold (see placeHolds in deliveries). */
const ACT_HOLD_CODE = 'authorise_delivery';
/** A void that finds its hold already voided or lapsed has nothing left to do. */
const NOTHING_LEFT_TO_VOID = new Set(['pending_already_resolved', 'pending_expired']);

/**
 * An act's hold is placed in the ledger before its act is written; a process stopped between the two
 * leaves money held with no act to account for it until the hold's timeout (days), and later acts on
 * the certificate may be refused for want of it. A provider who sends the act again under the same id
 * finds its hold and writes the act; one who does not is what this sweep is for. Holds placed longer
 * ago than any recording can still be running, with no act under their id, are kept as abandoned
 * under the certificate's line locks (see claimAbandonedHold), then voided; their ids answer
 * `delivery_id_abandoned` from then on. Voids that failed are tried again on the next run. Answers
 * how many holds it gave up.
 */
export async function voidAbandonedHolds(deps: Deps, _principal: Principal, input: { olderThanSeconds?: number } = {}): Promise<number> {
  const em = deps.orm.em.fork();
  const placedBefore = new Date(deps.clock().getTime() - (input.olderThanSeconds ?? deps.settings.abandonedHoldAfterSeconds) * 1000);
  let claimed = 0;
  let after: string | undefined;
  do {
    const page = await deps.ledger.openHolds({ placedBefore, code: ACT_HOLD_CODE, after, limit: 500 });
    const withoutAct = await idsWithoutAct(em, page.items.map((hold) => hold.id));
    for (const hold of page.items.filter((h) => withoutAct.has(h.id))) {
      const kept = await withTransaction(em, (tx) =>
        claimAbandonedHold(tx, { id: hold.id, certificate_id: hold.debit_account_id, amount: hold.amount, placed_at: hold.created_at }),
      );
      if (kept) claimed++;
    }
    after = page.next_cursor ?? undefined;
  } while (after);

  for (;;) {
    const toVoid = await abandonedHoldsToVoid(em, 500);
    if (!toVoid.length) break;
    const results = await Promise.allSettled(
      toVoid.map((hold) => deps.ledger.transfer({ id: derivedTransferId(hold.id, 'void'), pending_id: hold.id, flags: { void_pending: true } })),
    );
    const voided = toVoid.filter((_, i) => {
      const result = results[i]!;
      return result.status === 'fulfilled' && (result.value.status !== 'failed' || NOTHING_LEFT_TO_VOID.has(result.value.code ?? ''));
    });
    await markAbandonedHoldsVoided(em, voided.map((hold) => hold.id));
    if (voided.length < toVoid.length) break;
  }
  return claimed;
}
