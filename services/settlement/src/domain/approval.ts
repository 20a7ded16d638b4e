import { AppError, conflict, type Principal } from '@esc/service-kit';
import type { BatchRow } from '../data-access/batch-store';
import { assertFinanceOf } from './access';

export function fourEyesViolation(): AppError {
  return new AppError(
    'forbidden',
    'four_eyes_required',
    'Реестр выплат утверждает другой сотрудник финансового органа, не тот, кто его сформировал (принцип четырёх глаз).',
  );
}

/** `approve`: the batch moves to approving; `unchanged`: this officer approved it before, nothing to do. */
export type ApprovalDecision = 'approve' | 'unchanged';

/**
 * Four eyes: a finance officer of the batch's region other than the one who formed it approves a
 * draft batch that has something to transfer. The officer who approved it may ask again and is
 * answered with the batch as it is; anyone else is refused.
 */
export function decideApproval(
  batch: Pick<BatchRow, 'id' | 'region_code' | 'status' | 'created_by' | 'approved_by' | 'payouts'>,
  approver: Principal,
): ApprovalDecision {
  assertFinanceOf(approver, batch.region_code);
  if (batch.created_by === approver.subject) throw fourEyesViolation();
  if (batch.status !== 'draft') {
    if (batch.approved_by === approver.subject) return 'unchanged';
    throw conflict('batch_already_approved', `Реестр выплат уже утверждён другим сотрудником (${batch.approved_by}).`, { batch_id: batch.id });
  }
  if (batch.payouts === 0) throw conflict('batch_empty', 'В реестре нет выплат к перечислению; утверждать нечего.', { batch_id: batch.id });
  return 'approve';
}
