import { AppError, conflict, notFound, unprocessable, type EntityManager, type Principal } from '@esc/service-kit';
import { findOpenHolds, findTransfer } from '../data-access/transfer-store';
import type { Deps } from './context';
import { TRANSFER_ERROR_DETAILS } from './errors';
import type { TransferView } from './model';
import { applyTransfers } from './transfers';

export type PendingStatus = 'pending' | 'posted' | 'voided' | 'expired' | null;

export function pendingStatus(view: TransferView): PendingStatus {
  if (!view.transfer.flags.pending || view.transfer.rejection) return null;
  const resolution = view.resolution;
  if (!resolution) return 'pending';
  if (resolution.flags.postPending) return 'posted';
  return resolution.expiry ? 'expired' : 'voided';
}

async function transferOrFail(em: EntityManager, id: string): Promise<TransferView> {
  const view = await findTransfer(em, id);
  if (!view) throw notFound('transfer_not_found', `There is no transfer ${id}.`);
  return view;
}

/** An applied transfer; a rejection kept against the id answers as not found, with its code. */
export async function getTransfer(deps: Deps, _principal: Principal, input: { id: string }): Promise<TransferView> {
  const view = await transferOrFail(deps.orm.em.fork(), input.id);
  const rejection = view.transfer.rejection;
  if (rejection) {
    throw new AppError('not_found', 'transfer_rejected', `Transfer ${input.id} was rejected: ${TRANSFER_ERROR_DETAILS[rejection]}`, { rejection });
  }
  return view;
}

/** Holds still open that were placed before a time: for a service to find those it has no record of. */
export async function listOpenHolds(deps: Deps, _principal: Principal, input: { placedBefore: Date; code?: string; after?: string; limit: number }): Promise<TransferView[]> {
  return findOpenHolds(deps.orm.em.fork(), input);
}

export interface ReverseTransferInput {
  transferId: string;
  reversalId: string;
  reference?: string;
}

/** The correcting transfer: the original's posted amount moved back between the same accounts. */
export async function reverseTransfer(deps: Deps, principal: Principal, input: ReverseTransferInput): Promise<{ view: TransferView; created: boolean }> {
  const em = deps.orm.em.fork();
  const original = await transferOrFail(em, input.transferId);
  const t = original.transfer;
  if (t.rejection) throw notFound('transfer_not_found', `Transfer ${t.id} was rejected (${t.rejection}); there is nothing to reverse.`);
  if (t.flags.pending) throw unprocessable('not_reversible', 'A hold is not reversed: void it (flags.void_pending) or let it time out.');
  if (t.flags.voidPending) throw unprocessable('not_reversible', 'A void moved no money; there is nothing to reverse.');
  const [outcome] = await applyTransfers(deps, principal, {
    transfers: [
      {
        id: input.reversalId,
        debitAccountId: t.creditAccountId!,
        creditAccountId: t.debitAccountId!,
        amount: t.amount!,
        code: 'reversal',
        reference: input.reference,
        flags: { linked: false, pending: false, postPending: false, voidPending: false },
        timeoutSeconds: 0,
        reversalOf: t.id,
      },
    ],
  });
  if (outcome!.status === 'failed') {
    const code = outcome!.code;
    const detail = TRANSFER_ERROR_DETAILS[code];
    if (code === 'already_reversed' || code === 'exists_with_different_fields') throw conflict(code, detail);
    throw unprocessable(code, `The reversal would break a ledger rule: ${detail}`);
  }
  return { view: await transferOrFail(em, input.reversalId), created: outcome!.status === 'created' };
}
