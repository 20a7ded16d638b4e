import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { BookingRow, BookingStatus } from './booking-store';
import { DELIVERY_COLUMNS, type DeliveryRow, type DeliveryStatus } from './delivery-store';

/** What the provider's cabinet reads: one statement per function, rows as the database returns them. */

export type InboxBookingRow = BookingRow & {
  certificate_number: string;
  certificate_valid_to: string;
  certificate_released_amount: string;
  certificate_status: string;
  line_no: number;
  service_name: string | null;
  unit: string;
  line_volume: number;
  line_units_consumed: number;
  line_net_amount: string;
  line_unit_cost: string;
  recipient_last_name: string;
  recipient_first_name: string;
  recipient_middle_name: string | null;
  district_code: string | null;
};

/** A provider's bookings (of one status when given) with their certificate line and recipient, newest first (at most 500). */
export async function inboxOfProvider(em: EntityManager, providerId: string, status?: BookingStatus): Promise<InboxBookingRow[]> {
  return sqlOf(em).rows<InboxBookingRow>(
    `select b.*, c.number as certificate_number, c.valid_to::text as certificate_valid_to, c.released_amount::text as certificate_released_amount, c.status as certificate_status,
            l.line_no, l.service_name, l.unit, l.volume as line_volume, l.units_consumed as line_units_consumed,
            l.net_amount::text as line_net_amount, l.unit_cost::text as line_unit_cost,
            r.last_name as recipient_last_name, r.first_name as recipient_first_name, r.middle_name as recipient_middle_name, r.district_code
       from certificates.bookings b
       join certificates.certificates c on c.id = b.certificate_id
       join certificates.certificate_lines l on l.id = b.line_id
       join certificates.recipients r on r.id = b.recipient_id
      where b.provider_id = $1${status ? ' and b.status = $2' : ''}
      order by b.requested_at desc, b.id limit 500`,
    status ? [providerId, status] : [providerId],
  );
}

export type ProviderActRow = DeliveryRow & {
  certificate_number: string;
  service_code: string;
  service_name: string | null;
  unit: string;
  recipient_last_name: string;
  recipient_first_name: string;
  recipient_middle_name: string | null;
};

/** A provider's acts (of one status when given) with their line and recipient, newest recorded first (at most 500). */
export async function actsOfProvider(em: EntityManager, providerId: string, status?: DeliveryStatus): Promise<ProviderActRow[]> {
  return sqlOf(em).rows<ProviderActRow>(
    `select ${DELIVERY_COLUMNS}, c.number as certificate_number, l.service_code, l.service_name, l.unit,
            r.last_name as recipient_last_name, r.first_name as recipient_first_name, r.middle_name as recipient_middle_name
       from certificates.deliveries d
       join certificates.certificates c on c.id = d.certificate_id
       join certificates.certificate_lines l on l.id = d.line_id
       join certificates.recipients r on r.id = d.recipient_id
      where d.provider_id = $1${status ? ' and d.status = $2' : ''}
      order by d.recorded_at desc, d.id limit 500`,
    status ? [providerId, status] : [providerId],
  );
}
