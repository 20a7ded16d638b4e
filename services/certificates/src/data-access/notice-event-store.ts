import { sqlOf, type EntityManager } from '@esc/service-kit';

/**
 * The events the notifications service turns into notices, written to the outbox in the caller's
 * transaction. Their payloads carry what a notice says (the citizen's SNILS, names, the deadline), so
 * the notifications service asks nobody.
 */
const ISO_UTC = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

export type BookingEventTopic = 'booking.created' | 'booking.accepted' | 'booking.declined' | 'booking.cancelled';

/** A booking whose status just changed, and the status it left (none for a new booking). */
export interface BookingChange {
  id: string;
  previousStatus: string | null;
}

/**
 * booking.created / accepted / declined for the notices, booking.cancelled (no notice yet): with who
 * changed it and the status it left, which its audit record is made of (see activity-audit).
 */
export async function writeBookingEvents(em: EntityManager, topic: BookingEventTopic, changes: BookingChange[], who: { actor: string; actorName: string | null }): Promise<void> {
  if (changes.length === 0) return;
  await sqlOf(em).run(
    `insert into certificates.outbox (id, topic, payload)
     select gen_random_uuid(), $1, jsonb_build_object(
              'booking_id', b.id, 'provider_id', b.provider_id, 'provider_name', b.provider_name, 'region_code', b.region_code,
              'certificate_number', c.number, 'recipient_snils', r.snils, 'service_code', b.service_code, 'service_name', l.service_name,
              'units', b.units, 'status', b.status, 'reason', b.decline_reason,
              'certificate_id', b.certificate_id, 'line_id', b.line_id, 'recipient_id', b.recipient_id, 'units_per_month', b.units_per_month,
              'decline_code', b.decline_code, 'previous_status', v.previous_status, 'actor', $4::text, 'actor_name', $5::text)
       from unnest($2::uuid[], $3::text[]) with ordinality as v(id, previous_status, n)
       join certificates.bookings b on b.id = v.id
       join certificates.certificates c on c.id = b.certificate_id
       join certificates.certificate_lines l on l.id = b.line_id
       join certificates.recipients r on r.id = b.recipient_id
      order by v.n`,
    [topic, changes.map((c) => c.id), changes.map((c) => c.previousStatus), who.actor, who.actorName],
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
                   'confirm_by', to_char(a.confirm_by at time zone 'UTC', ${ISO_UTC}), 'recorded_by', a.recorded_by, 'recipient_id', a.recipient_id)
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
 * citizen disputed all or part of it, act.hold_expired (no notice) when the ledger let the hold lapse.
 * Part of the settling statement, so they commit with it. With who settled it and the held amount:
 * a voided act's audit record is made of its act.disputed or act.hold_expired (see activity-audit).
 */
export function actSettledOutboxCte(source: string): string {
  return `insert into certificates.outbox (id, topic, payload)
          select gen_random_uuid(), case a.resolution when 'auto_confirmed' then 'act.auto_confirmed' when 'hold_expired' then 'act.hold_expired' else 'act.disputed' end, jsonb_build_object(
                   'delivery_id', a.id, 'booking_id', a.booking_id, 'certificate_number', cert.number, 'recipient_snils', rcp.snils,
                   'region_code', cert.region_code, 'provider_id', a.provider_id, 'provider_name', bkg.provider_name, 'service_name', line.service_name,
                   'units', a.units, 'confirmed_units', coalesce(a.confirmed_units, 0), 'delivered_on', a.delivered_on,
                   'resolution', a.resolution, 'dispute_reason', a.dispute_reason,
                   'certificate_id', a.certificate_id, 'recipient_id', a.recipient_id, 'status', a.status, 'resolved_by', a.resolved_by,
                   'held_amount', a.amount::text, 'posted_amount', coalesce(a.posted_amount, 0.00)::text)
            from ${source} a
            join certificates.certificates cert on cert.id = a.certificate_id
            join certificates.certificate_lines line on line.id = a.line_id
            join certificates.bookings bkg on bkg.id = a.booking_id
            join certificates.recipients rcp on rcp.id = a.recipient_id
           where a.resolution in ('auto_confirmed', 'disputed', 'partly_disputed', 'hold_expired')`;
}

/** certificate.suspended or certificate.revoked with the case worker's reason, certificate.expired when its validity ended; for the citizen. */
export async function writeCertificateStatusEvent(em: EntityManager, certificateId: string, topic: 'certificate.suspended' | 'certificate.revoked' | 'certificate.expired'): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.outbox (id, topic, payload)
     select gen_random_uuid(), $2, jsonb_build_object(
              'certificate_id', c.id, 'certificate_number', c.number, 'recipient_snils', r.snils, 'region_code', c.region_code,
              'status', c.status, 'reason', c.status_reason, 'valid_until', c.valid_to)
       from certificates.certificates c join certificates.recipients r on r.id = c.recipient_id
      where c.id = $1`,
    [certificateId, topic],
  );
}

/** An event about a recipient (an assessment recognised, a programme drawn, a refusal): the payload and their SNILS. */
export async function writeRecipientNoticeEvent(em: EntityManager, topic: string, recipientId: string, payload: Record<string, unknown>): Promise<void> {
  await sqlOf(em).run(
    `insert into certificates.outbox (id, topic, payload)
     select gen_random_uuid(), $1, $3::jsonb || jsonb_build_object('recipient_snils', r.snils) from certificates.recipients r where r.id = $2`,
    [topic, recipientId, JSON.stringify(payload)],
  );
}

/**
 * act.confirmation_due for held acts that confirm themselves within `withinSeconds` and were not
 * reminded of yet: each act once (its mark commits with its event), however often the scan runs.
 * Answers how many it wrote.
 */
export async function writeConfirmationReminders(em: EntityManager, withinSeconds: number, limit: number): Promise<number> {
  return sqlOf(em).run(
    `with due as (
       select d.id from certificates.deliveries d
        where d.status = 'held' and d.confirm_by > clock_timestamp() and d.confirm_by <= clock_timestamp() + make_interval(secs => $1)
          and not exists (select 1 from certificates.notice_marks m where m.subject_id = d.id and m.kind = 'act.confirmation_due')
        order by d.confirm_by limit $2),
     marked as (
       insert into certificates.notice_marks (subject_id, kind) select id, 'act.confirmation_due' from due on conflict do nothing returning subject_id)
     insert into certificates.outbox (id, topic, payload)
     select gen_random_uuid(), 'act.confirmation_due', jsonb_build_object(
              'delivery_id', a.id, 'certificate_number', c.number, 'recipient_snils', r.snils, 'region_code', c.region_code,
              'provider_name', b.provider_name, 'service_name', l.service_name, 'units', a.units, 'delivered_on', a.delivered_on,
              'confirm_by', to_char(a.confirm_by at time zone 'UTC', ${ISO_UTC}))
       from marked m
       join certificates.deliveries a on a.id = m.subject_id
       join certificates.certificates c on c.id = a.certificate_id
       join certificates.certificate_lines l on l.id = a.line_id
       join certificates.bookings b on b.id = a.booking_id
       join certificates.recipients r on r.id = a.recipient_id`,
    [withinSeconds, limit],
  );
}

/**
 * certificate.expiring for live certificates whose validity ends within 30 days (days_before 30) or
 * within 7 (days_before 7), by each region's own today: each certificate once per threshold, and a
 * certificate already within 7 days gets only that one. Answers how many it wrote.
 */
export async function writeExpiryWarnings(em: EntityManager, todayByRegion: ReadonlyMap<string, string>, limit: number): Promise<number> {
  return sqlOf(em).run(
    `with due as (
       select c.id, c.valid_to, r.today::date as today, case when c.valid_to - r.today::date <= 7 then 7 else 30 end as days_before
         from certificates.certificates c join jsonb_each_text($1::jsonb) r(region_code, today) on r.region_code = c.region_code
        where c.status in ('issued', 'active') and c.valid_to >= r.today::date and c.valid_to - r.today::date <= 30
          and not exists (select 1 from certificates.notice_marks m where m.subject_id = c.id
                           and m.kind = case when c.valid_to - r.today::date <= 7 then 'certificate.expiring_7' else 'certificate.expiring_30' end)
        order by c.valid_to limit $2),
     marked as (
       insert into certificates.notice_marks (subject_id, kind) select id, 'certificate.expiring_' || days_before from due on conflict do nothing returning subject_id, kind)
     insert into certificates.outbox (id, topic, payload)
     select gen_random_uuid(), 'certificate.expiring', jsonb_build_object(
              'certificate_id', c.id, 'certificate_number', c.number, 'recipient_snils', rc.snils, 'region_code', c.region_code,
              'valid_until', c.valid_to, 'days_before', d.days_before, 'days_left', d.valid_to - d.today)
       from marked m
       join due d on d.id = m.subject_id and m.kind = 'certificate.expiring_' || d.days_before
       join certificates.certificates c on c.id = m.subject_id
       join certificates.recipients rc on rc.id = c.recipient_id`,
    [JSON.stringify(Object.fromEntries(todayByRegion)), limit],
  );
}
