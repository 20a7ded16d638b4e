import { conflict, notFound, unprocessable, type EntityManager } from '@esc/service-kit';
import { findTransfer, type TransferView } from '../data-access/account-store';
import { TRANSFER_ERROR_DETAILS } from './errors';
import type { TransferOutcome, TransferRequest } from './model';

export type PendingStatus = 'pending' | 'posted' | 'voided' | 'expired' | null;

export function pendingStatus(view: TransferView): PendingStatus {
  if (!view.transfer.flags.pending || view.transfer.rejection) return null;
  const resolution = view.resolution;
  if (!resolution) return 'pending';
  if (resolution.flags.postPending) return 'posted';
  return resolution.expiry ? 'expired' : 'voided';
}

export async function getTransfer(em: EntityManager, id: string): Promise<TransferView> {
  const view = await findTransfer(em, id);
  if (!view) throw notFound('transfer_not_found', `There is no transfer ${id}.`);
  return view;
}

export interface ReverseCommand {
  transferId: string;
  reversalId: string;
  reference?: string;
}

/** The correcting transfer: the original's posted amount moved back between the same accounts. */
export async function reverseTransfer(
  em: EntityManager,
  command: ReverseCommand,
  apply: (group: TransferRequest[]) => Promise<TransferOutcome[]>,
): Promise<{ view: TransferView; created: boolean }> {
  const original = await getTransfer(em, command.transferId);
  const t = original.transfer;
  if (t.rejection) throw notFound('transfer_not_found', `Transfer ${t.id} was rejected (${t.rejection}); there is nothing to reverse.`);
  if (t.flags.pending) throw unprocessable('not_reversible', 'A hold is not reversed: void it (flags.void_pending) or let it time out.');
  if (t.flags.voidPending) throw unprocessable('not_reversible', 'A void moved no money; there is nothing to reverse.');
  const [outcome] = await apply([
    {
      id: command.reversalId,
      debitAccountId: t.creditAccountId!,
      creditAccountId: t.debitAccountId!,
      amount: t.amount!,
      code: 'reversal',
      reference: command.reference,
      flags: { linked: false, pending: false, postPending: false, voidPending: false },
      timeoutSeconds: 0,
      reversalOf: t.id,
    },
  ]);
  if (outcome!.status === 'failed') {
    const code = outcome!.code;
    const detail = TRANSFER_ERROR_DETAILS[code];
    if (code === 'already_reversed' || code === 'exists_with_different_fields') throw conflict(code, detail);
    throw unprocessable(code, `The reversal would break a ledger rule: ${detail}`);
  }
  return { view: await getTransfer(em, command.reversalId), created: outcome!.status === 'created' };
}
