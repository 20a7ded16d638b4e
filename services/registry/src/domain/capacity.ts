import { z } from 'zod';
import type { EventEnvelope, EntityManager, Logger } from '@esc/service-kit';
import { refreshSearchEntries } from '../data-access/search-index';
import { usablePayload } from './event-payload';

const capacityPayload = z.object({
  provider_id: z.uuid(),
  service_code: z.string().min(1),
  reserved_per_month: z.number().int().min(0),
  as_of: z.iso.datetime({ offset: true }),
});

/**
 * provider.capacity_reserved from certificates: how much of a provider's monthly capacity for a
 * service its bookings hold, as an absolute figure at a time. Only a newer figure is applied, so
 * events arriving late or out of order never undo a newer one; the search's free capacity follows.
 */
export function onCapacityReserved(logger: Logger) {
  return async (event: EventEnvelope, em: EntityManager): Promise<void> => {
    const payload = usablePayload(capacityPayload, event, 'provider.capacity_reserved', logger);
    if (!payload) return;
    const { provider_id: providerId, service_code: serviceCode, reserved_per_month: reserved, as_of: asOf } = payload;
    const updated: unknown[] = await em.execute(
      `update registry.provider_services set booked_per_month = ?, booked_as_of = ?
        where provider_id = ? and service_code = ? and (booked_as_of is null or booked_as_of < ?) returning provider_id`,
      [reserved, asOf, providerId, serviceCode, asOf],
    );
    if (updated.length) await refreshSearchEntries(em, providerId);
  };
}
