import { iso } from './time';
import { conflict, forbidden, withTransaction, writeOutboxEvent, type Principal } from '@esc/service-kit';
import { isCitizen } from './access';
import type { Deps } from './context';
import { findDelivery } from './deliveries';
import { findRecipient } from './recipients';

/** After a confirmed delivery the citizen rates it once, 1–5; the registry's rating follows through feedback.submitted. */
export async function submitFeedback(deps: Deps, principal: Principal, deliveryId: string, input: { score: number; comment?: string | null }) {
  const em = deps.orm.em.fork();
  return withTransaction(em, async (tx) => {
    const delivery = await findDelivery(tx, deliveryId);
    const recipient = await findRecipient(tx, delivery.recipient_id);
    if (!isCitizen(principal, recipient.snils)) throw forbidden('Оценить услугу может только её получатель.', 'not_your_certificate');
    if (delivery.status !== 'posted') {
      throw conflict('delivery_not_confirmed', 'Оценить можно только подтверждённую услугу: сначала подтвердите акт.');
    }
    const inserted: Array<{ created_at: Date }> = await tx.execute(
      `insert into certificates.feedback (delivery_id, certificate_id, provider_id, recipient_id, score, comment) values (?, ?, ?, ?, ?, ?)
       on conflict (delivery_id) do nothing returning created_at`,
      [deliveryId, delivery.certificate_id, delivery.provider_id, delivery.recipient_id, input.score, input.comment ?? null],
    );
    if (!inserted[0]) throw conflict('feedback_already_given', 'Эту услугу вы уже оценили; оценку можно поставить один раз.');
    await writeOutboxEvent(tx, 'certificates', 'feedback.submitted', {
      delivery_id: deliveryId,
      certificate_id: delivery.certificate_id,
      provider_id: delivery.provider_id,
      score: input.score,
      comment: input.comment ?? null,
      submitted_at: iso(inserted[0].created_at),
    });
    return { delivery_id: deliveryId, provider_id: delivery.provider_id, score: input.score, comment: input.comment ?? null, created_at: iso(inserted[0].created_at) };
  });
}
