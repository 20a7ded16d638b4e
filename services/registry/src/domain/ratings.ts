import { z } from 'zod';
import type { EventEnvelope, EntityManager, Logger } from '@esc/service-kit';
import { addRating } from '../data-access/provider-store';
import { refreshSearchEntries } from '../data-access/search-index';
import { usablePayload } from './event-payload';

const feedbackPayload = z.object({
  provider_id: z.uuid(),
  score: z.number().int().min(1).max(5),
});

/**
 * Runs in the event consumer's transaction, which also records the event as processed, so a
 * redelivery never counts twice. Answers false for an unknown provider.
 */
export async function recordRating(tx: EntityManager, rating: { providerId: string; score: number }): Promise<boolean> {
  if (!(await addRating(tx, rating.providerId, rating.score))) return false;
  await refreshSearchEntries(tx, rating.providerId);
  return true;
}

/** feedback.submitted from certificates: one more 1–5 rating for a provider. */
export function onFeedbackSubmitted(logger: Logger) {
  return async (event: EventEnvelope, tx: EntityManager): Promise<void> => {
    const payload = usablePayload(feedbackPayload, event, 'feedback.submitted', logger);
    if (!payload) return;
    if (!(await recordRating(tx, { providerId: payload.provider_id, score: payload.score }))) {
      logger.warn({ eventId: event.id, providerId: payload.provider_id }, 'feedback.submitted for an unknown provider; skipped');
    }
  };
}
