import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { EntityManager, EventEnvelope, Logger } from '@esc/service-kit';
import { openBookingsOfProvider } from '../data-access/booking-store';
import { insertNotice } from '../data-access/life-event-store';
import { writeRecipientNoticeEvent } from '../data-access/notice-event-store';
import { recordStanding, type ProviderStanding } from '../data-access/provider-standing-store';
import { refusalView, type RefusalCode } from './refusals';

/**
 * The registry's provider.admitted / provider.suspended / provider.excluded events kept as the
 * provider's standing here. While a provider is suspended or excluded it accepts no bookings, is not
 * booked and records no acts; acts already held stay as they are (what is payable for them is a
 * regional rule, left to settlement).
 */

/** The registry's topics this service consumes, with the standing each reports. */
export const STANDING_TOPICS = { 'provider.admitted': 'admitted', 'provider.suspended': 'suspended', 'provider.excluded': 'excluded' } as const satisfies Record<string, ProviderStanding>;

/** The refusal a provider in this standing gets for new work; undefined when it may work (admitted, or not heard of). */
export function restrictionOf(standing: string | null | undefined): Extract<RefusalCode, 'provider_suspended' | 'provider_excluded'> | undefined {
  if (standing === 'suspended') return 'provider_suspended';
  if (standing === 'excluded') return 'provider_excluded';
  return undefined;
}

/** What a citizen with an open booking reads when the provider is suspended or excluded. */
export function standingNotice(restriction: 'provider_suspended' | 'provider_excluded', providerName: string): string {
  const what = restriction === 'provider_suspended' ? `Участие поставщика «${providerName}» в системе сертификатов приостановлено` : `Поставщик «${providerName}» исключён из реестра поставщиков`;
  return (
    `${what}: новые услуги по вашей записи к нему не будут оказываться и оплачиваться по сертификату. ` +
    'Выберите другого поставщика: отмените запись в разделе «Мои записи» и запишитесь к другому поставщику из списка допущенных. Неиспользованный объём вернётся на сертификат; уже оказанные услуги вы по-прежнему подтверждаете или оспариваете.'
  );
}

const statusPayload = z.object({ provider_id: z.uuid(), reason: z.string() });

/**
 * Runs in the event consumer's transaction, which also records the event as processed (a redelivered
 * event does nothing). A change older than the one recorded is ignored; a suspension or exclusion
 * leaves a notice for each citizen with an open booking.
 */
export function onProviderStatusChanged(logger: Logger) {
  return async (event: EventEnvelope, tx: EntityManager): Promise<void> => {
    const status = STANDING_TOPICS[event.topic as keyof typeof STANDING_TOPICS];
    const parsed = statusPayload.safeParse(event.payload);
    if (!status || !parsed.success) {
      logger.warn({ eventId: event.id, topic: event.topic }, 'provider status event with an unusable payload; skipped');
      return;
    }
    const providerId = parsed.data.provider_id;
    const recorded = await recordStanding(tx, { providerId, status, reason: parsed.data.reason, changedAt: event.occurred_at });
    const restriction = restrictionOf(status);
    if (!recorded || !restriction) return;
    const open = await openBookingsOfProvider(tx, providerId);
    for (const booking of open) {
      await insertNotice(tx, { id: randomUUID(), recipientId: booking.recipient_id, kind: restriction, text: standingNotice(restriction, booking.provider_name), subjectId: booking.id });
      // Also told through the notifications service (inbox, e-mail, SMS), with what to do next.
      const view = refusalView(restriction, `Поставщик: «${booking.provider_name}».`);
      await writeRecipientNoticeEvent(tx, 'refusal.recorded', booking.recipient_id, {
        refusal_id: randomUUID(),
        region_code: booking.region_code,
        subject_kind: 'booking',
        subject_id: booking.id,
        code: view.code,
        reason: view.reason,
        next_steps: view.next_steps,
        appeal: view.appeal,
      });
    }
    logger.info({ providerId, status, openBookings: open.length }, 'provider standing changed');
  };
}
