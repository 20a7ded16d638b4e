import { conflict, forbidden, withTransaction, writeOutboxEvent, type Principal } from '@esc/service-kit';
import { insertFeedback } from '../data-access/feedback-store';
import { isCitizen } from './access';
import type { Deps } from './context';
import { findDelivery } from './deliveries';
import { findRecipient } from './recipients';

export interface SubmitFeedbackInput {
  /** The delivery rated. */
  id: string;
  score: number;
  comment?: string | null;
}

export interface Feedback {
  delivery_id: string;
  provider_id: string;
  score: number;
  comment: string | null;
  created_at: string;
}

/** After a confirmed delivery the citizen rates it once, 1–5; the registry's rating follows through feedback.submitted. */
export async function submitFeedback(deps: Deps, principal: Principal, input: SubmitFeedbackInput): Promise<Feedback> {
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const delivery = await findDelivery(tx, input.id);
    const recipient = await findRecipient(tx, delivery.recipient_id);
    if (!isCitizen(principal, recipient.snils)) throw forbidden('Оценить услугу может только её получатель.', 'not_your_certificate');
    if (delivery.status !== 'posted') {
      throw conflict('delivery_not_confirmed', 'Оценить можно только подтверждённую услугу: сначала подтвердите акт.');
    }
    const comment = input.comment ?? null;
    const createdAt = await insertFeedback(tx, {
      deliveryId: input.id,
      certificateId: delivery.certificate_id,
      providerId: delivery.provider_id,
      recipientId: delivery.recipient_id,
      score: input.score,
      comment,
    });
    if (!createdAt) throw conflict('feedback_already_given', 'Эту услугу вы уже оценили; оценку можно поставить один раз.');
    await writeOutboxEvent(tx, 'certificates', 'feedback.submitted', {
      delivery_id: input.id,
      certificate_id: delivery.certificate_id,
      provider_id: delivery.provider_id,
      score: input.score,
      comment,
      submitted_at: createdAt,
    });
    return { delivery_id: input.id, provider_id: delivery.provider_id, score: input.score, comment, created_at: createdAt };
  });
}
