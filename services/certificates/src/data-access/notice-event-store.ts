import { sqlOf, type EntityManager } from '@esc/service-kit';

/**
 * The events the notifications service turns into notices, written to the outbox in the caller's
 * transaction. Their payloads carry what a notice says (the citizen's SNILS, names, the deadline), so
 * the notifications service asks nobody.
 */
export type BookingNoticeTopic = 'booking.created' | 'booking.accepted' | 'booking.declined';

const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

export async function writeBookingNoticeEvent(em: EntityManager, bookingId: string, topic: BookingNoticeTopic): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.outbox (id, topic, payload)
     select gen_random_uuid(), $2, jsonb_build_object(
              'booking_id', b.id, 'provider_id', b.provider_id, 'provider_name', b.provider_name, 'region_code', b.region_code,
              'certificate_number', c.number, 'recipient_snils', r.snils, 'service_code', b.service_code, 'service_name', l.service_name,
              'units', b.units, 'status', b.status, 'reason', b.decline_reason)
       from certificates.bookings b
       join certificates.certificates c on c.id = b.certificate_id
       join certificates.certificate_lines l on l.id = b.line_id
       join certificates.recipients r on r.id = b.recipient_id
      where b.id = $1`,
    [bookingId, topic],
  );
}

/** certificate.issued for those of the certificates that are issued now. */
export async function writeCertificatesIssuedEvents(em: EntityManager, certificateIds: string[]): Promise<void> {
  if (certificateIds.length === 0) return;
  await sqlOf(em).run(
    `insert into certificates.outbox (id, topic, payload)
     select gen_random_uuid(), 'certificate.issued', jsonb_build_object(
              'certificate_id', c.id, 'certificate_number', c.number, 'recipient_snils', r.snils, 'region_code', c.region_code,
              'valid_from', c.valid_from, 'valid_until', c.valid_to, 'value', c.value::text)
       from certificates.certificates c join certificates.recipients r on r.id = c.recipient_id
      where c.id = any($1::uuid[]) and c.status = 'issued'`,
    [certificateIds],
  );
}

/**
 * A CTE writing act.recorded for the acts of `source` (rows of certificates.deliveries) that are held:
 * the citizen is to confirm or dispute each by its confirm_by. Part of the recording statements, so an
 * act and its event commit together.
 */
export function actRecordedOutboxCte(source: string): string {
  return `insert into certificates.outbox (id, topic, payload)
          select gen_random_uuid(), 'act.recorded', jsonb_build_object(
                   'delivery_id', a.id, 'booking_id', a.booking_id, 'certificate_id', a.certificate_id, 'certificate_number', c.number,
                   'recipient_snils', r.snils, 'region_code', c.region_code, 'provider_id', a.provider_id, 'provider_name', b.provider_name,
                   'service_name', l.service_name, 'units', a.units, 'amount', a.amount::text, 'delivered_on', a.delivered_on,
                   'confirm_by', to_char(a.confirm_by at time zone 'UTC', ${ISO_UTC}))
            from ${source} a
            join certificates.certificates c on c.id = a.certificate_id
            join certificates.certificate_lines l on l.id = a.line_id
            join certificates.bookings b on b.id = a.booking_id
            join certificates.recipients r on r.id = a.recipient_id
           where a.status = 'held'`;
}

/**
 * A CTE writing the settled acts' events of `source` (rows of certificates.deliveries just settled):
 * act.auto_confirmed to the citizen when the window lapsed, act.disputed to the provider when the
 * citizen disputed all or part of it. Part of the settling statement, so they commit with it.
 */
export function actSettledOutboxCte(source: string): string {
  return `insert into certificates.outbox (id, topic, payload)
          select gen_random_uuid(), case when a.resolution = 'auto_confirmed' then 'act.auto_confirmed' else 'act.disputed' end, jsonb_build_object(
                   'delivery_id', a.id, 'booking_id', a.booking_id, 'certificate_number', cert.number, 'recipient_snils', rcp.snils,
                   'region_code', cert.region_code, 'provider_id', a.provider_id, 'provider_name', bkg.provider_name, 'service_name', line.service_name,
                   'units', a.units, 'confirmed_units', coalesce(a.confirmed_units, 0), 'delivered_on', a.delivered_on,
                   'resolution', a.resolution, 'dispute_reason', a.dispute_reason)
            from ${source} a
            join certificates.certificates cert on cert.id = a.certificate_id
            join certificates.certificate_lines line on line.id = a.line_id
            join certificates.bookings bkg on bkg.id = a.booking_id
            join certificates.recipients rcp on rcp.id = a.recipient_id
           where a.resolution in ('auto_confirmed', 'disputed', 'partly_disputed')`;
}

/** certificate.suspended or certificate.revoked with the case worker's reason, for the citizen. */
export async function writeCertificateStatusEvent(em: EntityManager, certificateId: string, topic: 'certificate.suspended' | 'certificate.revoked'): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.outbox (id, topic, payload)
     select gen_random_uuid(), $2, jsonb_build_object(
              'certificate_id', c.id, 'certificate_number', c.number, 'recipient_snils', r.snils, 'region_code', c.region_code,
              'status', c.status, 'reason', c.status_reason)
       from certificates.certificates c join certificates.recipients r on r.id = c.recipient_id
      where c.id = $1`,
    [certificateId, topic],
  );
}
