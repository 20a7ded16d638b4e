import { writeOutboxEvent, type EntityManager, type Principal } from '@esc/service-kit';
import { writeBookingEvents } from '../data-access/notice-event-store';
import { cancelOpenBookingsOf, changeReserved, lockCapacity, openBookingsOf } from '../data-access/booking-store';

/**
 * What bookings reserve of the providers' monthly capacity, and how the registry learns it. Locks are
 * taken in one order everywhere — the certificate line, then the provider's capacity, then the
 * booking — so booking, declining, cancelling and closing a certificate cannot deadlock each other.
 */

/**
 * Moves the provider's reserved monthly capacity for a service (under the row lock the caller holds)
 * and tells the registry, whose public search shows free capacity: provider.capacity_reserved carries
 * the absolute figure and the time of the change, so a late or repeated event cannot undo a newer one.
 */
export async function changeReservation(tx: EntityManager, providerId: string, serviceCode: string, unitsPerMonth: number): Promise<void> {
  const row = await changeReserved(tx, providerId, serviceCode, unitsPerMonth);
  if (!row) return;
  await writeOutboxEvent(tx, 'certificates', 'provider.capacity_reserved', {
    provider_id: providerId,
    service_code: serviceCode,
    reserved_per_month: row.reserved_per_month,
    capacity_per_month: row.capacity_per_month,
    as_of: row.updated_at,
  });
}

export interface CapacityReservation {
  providerId: string;
  serviceCode: string;
  unitsPerMonth: number;
}

/** The monthly capacity the bookings reserve, one entry per provider and service, in lock order. */
export function capacityReservedBy(bookings: ReadonlyArray<{ provider_id: string; service_code: string; units_per_month: number }>): CapacityReservation[] {
  const byKey = new Map<string, CapacityReservation>();
  for (const b of bookings) {
    const key = `${b.provider_id}/${b.service_code}`;
    const entry = byKey.get(key) ?? { providerId: b.provider_id, serviceCode: b.service_code, unitsPerMonth: 0 };
    entry.unitsPerMonth += b.units_per_month;
    byKey.set(key, entry);
  }
  return [...byKey.entries()].sort(([a], [z]) => (a < z ? -1 : a > z ? 1 : 0)).map(([, entry]) => entry);
}

/**
 * Closing a certificate (revoked, expired) cancels its open bookings and frees the capacity they
 * reserved, telling the registry for each provider and service; acts already recorded still resolve.
 * The capacity rows are locked before the bookings, as everywhere else.
 */
export async function cancelOpenBookings(tx: EntityManager, certificateId: string, who: Pick<Principal, 'subject' | 'name'>): Promise<void> {
  for (const c of capacityReservedBy(await openBookingsOf(tx, certificateId))) await lockCapacity(tx, c.providerId, c.serviceCode);
  const cancelled = await cancelOpenBookingsOf(tx, certificateId);
  for (const c of capacityReservedBy(cancelled)) await changeReservation(tx, c.providerId, c.serviceCode, -c.unitsPerMonth);
  await writeBookingEvents(tx, 'booking.cancelled', cancelled.map((b) => ({ id: b.id, previousStatus: b.previous_status })), { actor: who.subject, actorName: who.name ?? null });
}
