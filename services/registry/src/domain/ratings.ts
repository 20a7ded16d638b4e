import { z } from 'zod';
import type { EventEnvelope, EntityManager, Logger } from '@esc/service-kit';
import { refreshSearchEntries } from '../data-access/search-index';
import { usablePayload } from './event-payload';

const feedbackPayload = z.object({
  provider_id: z.uuid(),
  score: z.number().int().min(1).max(5),
});

/**
 * feedback.submitted from certificates: one more 1–5 rating for a provider. Redeliveries never reach
 * here twice (the consumer records the event id in the same transaction).
 */
export function onFeedbackSubmitted(logger: Logger) {
  return async (event: EventEnvelope, em: EntityManager): Promise<void> => {
    const payload = usablePayload(feedbackPayload, event, 'feedback.submitted', logger);
    if (!payload) return;
    const updated: unknown[] = await em.execute(
      `update registry.providers
          set rating_sum = rating_sum + ?, rating_count = rating_count + 1,
              rating = round((rating_sum + ?)::numeric / (rating_count + 1), 2)
        where id = ? returning id`,
      [payload.score, payload.score, payload.provider_id],
    );
    if (updated.length === 0) {
      logger.warn({ eventId: event.id, providerId: payload.provider_id }, 'feedback.submitted for an unknown provider; skipped');
      return;
    }
    await refreshSearchEntries(em, payload.provider_id);
  };
}
