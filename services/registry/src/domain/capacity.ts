import { z } from 'zod';
import type { EventEnvelope, EntityManager, Logger } from '@esc/service-kit';
import { recordBookedCapacity } from '../data-access/provider-store';
import { refreshSearchEntries } from '../data-access/search-index';
import { usablePayload } from './event-payload';

const capacityPayload = z.object({
  provider_id: z.uuid(),
  service_code: z.string().min(1),
  reserved_per_month: z.number().int().min(0),
  as_of: z.iso.datetime({ offset: true }),
});

export interface CapacityReport {
  providerId: string;
  serviceCode: string;
  reserved: number;
  asOf: string;
}

/**
 * Runs in the event consumer's transaction, which also records the event as processed. Only a newer
 * figure is applied, so reports arriving late or out of order never undo a newer one; the search's
 * free capacity follows.
 */
export async function recordCapacityReserved(tx: EntityManager, report: CapacityReport): Promise<void> {
  if (await recordBookedCapacity(tx, report)) await refreshSearchEntries(tx, report.providerId);
}

/**
 * provider.capacity_reserved from certificates: how much of a provider's monthly capacity for a
 * service its bookings hold, as an absolute figure at a time.
 */
export function onCapacityReserved(logger: Logger) {
  return async (event: EventEnvelope, tx: EntityManager): Promise<void> => {
    const payload = usablePayload(capacityPayload, event, 'provider.capacity_reserved', logger);
    if (!payload) return;
    await recordCapacityReserved(tx, { providerId: payload.provider_id, serviceCode: payload.service_code, reserved: payload.reserved_per_month, asOf: payload.as_of });
  };
}
