import type { z } from 'zod';
import type { EventEnvelope, Logger } from '@esc/service-kit';

/** An event's payload as the schema reads it, or undefined (logged) when it cannot be used: such an event is skipped, not retried. */
export function usablePayload<T>(schema: z.ZodType<T>, event: EventEnvelope, topic: string, logger: Logger): T | undefined {
  const parsed = schema.safeParse(event.payload);
  if (parsed.success) return parsed.data;
  logger.warn({ eventId: event.id, issues: parsed.error.issues }, `${topic} with an unusable payload; skipped`);
  return undefined;
}
