import { sqlOf, type EntityManager } from '@esc/service-kit';

/** Bookings and the providers' monthly capacity they reserve. */

export type BookingStatus = 'requested' | 'accepted' | 'declined' | 'cancelled';
export type DeclineCode = 'no_staff_in_area' | 'capacity_exhausted' | 'service_not_suitable' | 'recipient_unreachable' | 'other';

export interface BookingRow {
  id: string;
  certificate_id: string;
  line_id: string;
  recipient_id: string;
  region_code: string;
  provider_id: string;
  provider_name: string;
  funding_mode: 'state_assignment' | 'compensation';
  service_code: string;
  units: number;
  units_per_month: number;
  units_consumed: number;
  units_confirmed: number;
  status: BookingStatus;
  requested_by: string;
  requested_at: string;
  decided_by: string | null;
  decided_at: string | null;
  decline_code: DeclineCode | null;
  decline_reason: string | null;
}

export async function findBookingRow(em: EntityManager, id: string): Promise<BookingRow | undefined> {
  return sqlOf(em).one<BookingRow>(`select * from certificates.bookings where id = $1`, [id]);
}

export async function lockBookingRow(em: EntityManager, id: string): Promise<BookingRow | undefined> {
  return sqlOf(em).one<BookingRow>(`select * from certificates.bookings where id = $1 for update`, [id]);
}

export async function bookingsOfCertificate(em: EntityManager, certificateId: string): Promise<BookingRow[]> {
  return sqlOf(em).rows<BookingRow>(`select * from certificates.bookings where certificate_id = $1 order by requested_at`, [certificateId]);
}

/** A provider's bookings (of one status when given), newest first (at most 500). */
export async function bookingsOfProvider(em: EntityManager, providerId: string, status?: BookingStatus): Promise<BookingRow[]> {
  return status
    ? sqlOf(em).rows<BookingRow>(`select * from certificates.bookings where provider_id = $1 and status = $2 order by requested_at desc limit 500`, [providerId, status])
    : sqlOf(em).rows<BookingRow>(`select * from certificates.bookings where provider_id = $1 order by requested_at desc limit 500`, [providerId]);
}

export type NewBooking = Pick<
  BookingRow,
  'id' | 'certificate_id' | 'line_id' | 'recipient_id' | 'region_code' | 'provider_id' | 'provider_name' | 'funding_mode' | 'service_code' | 'units' | 'units_per_month' | 'requested_by'
>;

export async function insertBooking(em: EntityManager, b: NewBooking): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.bookings (id, certificate_id, line_id, recipient_id, region_code, provider_id, provider_name, funding_mode, service_code, units, units_per_month, status, requested_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'requested', $12)`,
    [b.id, b.certificate_id, b.line_id, b.recipient_id, b.region_code, b.provider_id, b.provider_name, b.funding_mode, b.service_code, b.units, b.units_per_month, b.requested_by],
  );
}

export async function markBookingAccepted(em: EntityManager, id: string, decidedBy: string): Promise<void> {
  await sqlOf(em).run(`update certificates.bookings set status = 'accepted', decided_by = $1, decided_at = clock_timestamp() where id = $2`, [decidedBy, id]);
}

export async function markBookingDeclined(em: EntityManager, id: string, decidedBy: string, code: DeclineCode, reason: string): Promise<void> {
  await sqlOf(em).run(`update certificates.bookings set status = 'declined', decided_by = $1, decided_at = clock_timestamp(), decline_code = $2, decline_reason = $3 where id = $4`, [
    decidedBy,
    code,
    reason,
    id,
  ]);
}

export async function markBookingCancelled(em: EntityManager, id: string): Promise<void> {
  await sqlOf(em).run(`update certificates.bookings set status = 'cancelled', decided_at = clock_timestamp() where id = $1`, [id]);
}

export interface OpenBooking {
  id: string;
  provider_id: string;
  service_code: string;
  units_per_month: number;
}

/** The certificate's requested and accepted bookings, read without locking them. */
export async function openBookingsOf(em: EntityManager, certificateId: string): Promise<OpenBooking[]> {
  return sqlOf(em).rows<OpenBooking>(
    `select id, provider_id, service_code, units_per_month from certificates.bookings where certificate_id = $1 and status in ('requested', 'accepted')`,
    [certificateId],
  );
}

/** Cancels the certificate's requested and accepted bookings; answers those it cancelled, with the status each left. */
export async function cancelOpenBookingsOf(em: EntityManager, certificateId: string): Promise<Array<OpenBooking & { previous_status: BookingStatus }>> {
  return sqlOf(em).rows<OpenBooking & { previous_status: BookingStatus }>(
    `with open as (select id, status from certificates.bookings where certificate_id = $1 and status in ('requested', 'accepted') for update)
     update certificates.bookings b set status = 'cancelled', decided_at = clock_timestamp() from open where b.id = open.id
     returning b.id, b.provider_id, b.service_code, b.units_per_month, open.status as previous_status`,
    [certificateId],
  );
}

/** Units an act no longer uses go back to its booking. */
export async function giveBackBookingUsage(em: EntityManager, bookingId: string, units: number): Promise<void> {
  await sqlOf(em).run(`update certificates.bookings set units_consumed = units_consumed - $1 where id = $2`, [units, bookingId]);
}

export interface CapacityRow {
  capacity_per_month: number;
  reserved_per_month: number;
}

/** Records the registry's current capacity of the provider for the service (reserved stays as it is). */
export async function upsertCapacity(em: EntityManager, providerId: string, serviceCode: string, capacityPerMonth: number): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.provider_capacity (provider_id, service_code, capacity_per_month) values ($1, $2, $3)
     on conflict (provider_id, service_code) do update set capacity_per_month = excluded.capacity_per_month, updated_at = clock_timestamp()`,
    [providerId, serviceCode, capacityPerMonth],
  );
}

export async function lockCapacity(em: EntityManager, providerId: string, serviceCode: string): Promise<CapacityRow | undefined> {
  return sqlOf(em).one<CapacityRow>(`select capacity_per_month, reserved_per_month from certificates.provider_capacity where provider_id = $1 and service_code = $2 for update`, [
    providerId,
    serviceCode,
  ]);
}

export interface ReservationChange {
  reserved_per_month: number;
  capacity_per_month: number;
  updated_at: string;
}

/** Moves the reserved monthly capacity by `unitsPerMonth` (never below zero); undefined when the provider has no capacity row. */
export async function changeReserved(em: EntityManager, providerId: string, serviceCode: string, unitsPerMonth: number): Promise<ReservationChange | undefined> {
  return sqlOf(em).one<ReservationChange>(
    `update certificates.provider_capacity set reserved_per_month = greatest(0, reserved_per_month + $1), updated_at = clock_timestamp()
      where provider_id = $2 and service_code = $3 returning reserved_per_month, capacity_per_month, updated_at`,
    [unitsPerMonth, providerId, serviceCode],
  );
}

/** What the bookings reserve of the providers' monthly capacity for the service. */
export async function reservedFor(em: EntityManager, serviceCode: string, providerIds: string[]): Promise<Map<string, number>> {
  const rows = await sqlOf(em).rows<{ provider_id: string; reserved_per_month: number }>(
    `select provider_id, reserved_per_month from certificates.provider_capacity where service_code = $1 and provider_id = any($2::uuid[])`,
    [serviceCode, providerIds],
  );
  return new Map(rows.map((r) => [r.provider_id, r.reserved_per_month]));
}

/** The booking locked for accepting, with its provider's standing read in the same statement (null: no registry event about it yet). */
export async function lockBookingForAccepting(em: EntityManager, id: string): Promise<(BookingRow & { provider_standing: string | null }) | undefined> {
  return sqlOf(em).one<BookingRow & { provider_standing: string | null }>(
    `select b.*, s.status as provider_standing
       from certificates.bookings b left join certificates.provider_standing s on s.provider_id = b.provider_id
      where b.id = $1
        for update of b`,
    [id],
  );
}

/** The provider's bookings still open (requested or accepted), for telling their citizens about the provider. */
export async function openBookingsOfProvider(em: EntityManager, providerId: string): Promise<Array<Pick<BookingRow, 'id' | 'recipient_id' | 'region_code' | 'provider_name' | 'status'>>> {
  return sqlOf(em).rows(`select id, recipient_id, region_code, provider_name, status from certificates.bookings where provider_id = $1 and status in ('requested', 'accepted') order by requested_at`, [providerId]);
}
