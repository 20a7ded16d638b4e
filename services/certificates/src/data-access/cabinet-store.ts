import { sqlOf, type EntityManager } from '@esc/service-kit';
import type { BookingRow, BookingStatus } from './booking-store';
import { CERTIFICATE_COLUMNS, type CertificateLineRow, type CertificateRow } from './certificate-store';
import { DELIVERY_COLUMNS, type DeliveryRow, type DeliveryStatus } from './delivery-store';

/**
 * What the recipient's cabinet, a certificate's statement and its balances read: one statement per
 * function, rows as the database returns them.
 */

/** The recipient's certificates, newest first (at most 100). */
export async function certificatesOfRecipient(em: EntityManager, recipientId: string): Promise<CertificateRow[]> {
  return sqlOf(em).rows<CertificateRow>(`select ${CERTIFICATE_COLUMNS} from certificates.certificates where recipient_id = $1 order by created_at desc limit 100`, [recipientId]);
}

/** The lines of the certificates, in line number order. */
export async function linesOfCertificates(em: EntityManager, certificateIds: string[]): Promise<CertificateLineRow[]> {
  return sqlOf(em).rows<CertificateLineRow>(`select * from certificates.certificate_lines where certificate_id = any($1::uuid[]) order by line_no`, [certificateIds]);
}

export interface LineActTotalsRow {
  line_id: string;
  held: string;
  spent: string;
}

/**
 * Per line of the certificates: held — acts awaiting confirmation, `authorising` ones included;
 * spent — the posted amounts of posted acts.
 */
export async function actTotalsOfCertificates(em: EntityManager, certificateIds: string[]): Promise<LineActTotalsRow[]> {
  return sqlOf(em).rows<LineActTotalsRow>(
    `select line_id,
            coalesce(sum(amount) filter (where status in ('held', 'authorising')), 0)::numeric(20,2)::text as held,
            coalesce(sum(posted_amount) filter (where status = 'posted'), 0)::numeric(20,2)::text as spent
       from certificates.deliveries where certificate_id = any($1::uuid[]) group by line_id`,
    [certificateIds],
  );
}

export type CabinetDeliveryRow = DeliveryRow & {
  certificate_number: string;
  line_no: number;
  service_code: string;
  service_name: string | null;
  unit: string;
  provider_name: string;
  feedback_score: number | null;
  feedback_comment: string | null;
  feedback_at: string | null;
};

/** Acts of all the recipient's certificates (of one status when given), newest recorded first (at most 500). */
export async function deliveriesOfRecipient(em: EntityManager, recipientId: string, status?: DeliveryStatus): Promise<CabinetDeliveryRow[]> {
  return sqlOf(em).rows<CabinetDeliveryRow>(
    `select ${DELIVERY_COLUMNS}, c.number as certificate_number, l.line_no, l.service_code, l.service_name, l.unit, b.provider_name,
            f.score as feedback_score, f.comment as feedback_comment, f.created_at as feedback_at
       from certificates.certificates c
       join certificates.deliveries d on d.certificate_id = c.id
       join certificates.certificate_lines l on l.id = d.line_id
       join certificates.bookings b on b.id = d.booking_id
       left join certificates.feedback f on f.delivery_id = d.id
      where c.recipient_id = $1${status ? ' and d.status = $2' : ''}
      order by d.recorded_at desc, d.id limit 500`,
    status ? [recipientId, status] : [recipientId],
  );
}

export type CabinetBookingRow = BookingRow & { certificate_number: string; line_no: number; service_name: string | null; unit: string; provider_standing: string | null };

/** Bookings on all the recipient's certificates (of one status when given), newest first (at most 500). */
export async function bookingsOfRecipient(em: EntityManager, recipientId: string, status?: BookingStatus): Promise<CabinetBookingRow[]> {
  return sqlOf(em).rows<CabinetBookingRow>(
    `select b.*, c.number as certificate_number, l.line_no, l.service_name, l.unit, s.status as provider_standing
       from certificates.certificates c
       join certificates.bookings b on b.certificate_id = c.id
       join certificates.certificate_lines l on l.id = b.line_id
       left join certificates.provider_standing s on s.provider_id = b.provider_id
      where c.recipient_id = $1${status ? ' and b.status = $2' : ''}
      order by b.requested_at desc, b.id limit 500`,
    status ? [recipientId, status] : [recipientId],
  );
}

export interface StatementActRow {
  id: string;
  recorded_at: string;
  delivered_on: string;
  units: number;
  amount: string;
  status: 'authorising' | 'held' | 'posted' | 'voided';
  confirmed_units: number | null;
  posted_amount: string | null;
  provider_name: string;
  line_no: number;
  service_name: string;
}

/** The certificate's acts that moved money (refused ones did not), in the order they were recorded. */
export async function statementActs(em: EntityManager, certificateId: string): Promise<StatementActRow[]> {
  return sqlOf(em).rows<StatementActRow>(
    `select d.id, d.recorded_at, d.delivered_on::text as delivered_on, d.units, d.amount::text as amount, d.status, d.confirmed_units,
            d.posted_amount::text as posted_amount, b.provider_name, l.line_no, l.service_name
       from certificates.deliveries d
       join certificates.bookings b on b.id = d.booking_id
       join certificates.certificate_lines l on l.id = d.line_id
      where d.certificate_id = $1 and d.status <> 'refused'
      order by d.recorded_at, d.id`,
    [certificateId],
  );
}

/**
 * Everything the recipient asked for or was offered, newest first (at most 500): assessments,
 * certificates, bookings and acts, each with its stored refusal when refused, and refusals of
 * anything else.
 */
export async function historyOfRecipient(em: EntityManager, recipientId: string): Promise<Array<Record<string, unknown>>> {
  return sqlOf(em).rows<Record<string, unknown>>(
    `with refusal as (
       select distinct on (subject_id) subject_id, json_build_object('code', code, 'reason', reason, 'next_steps', next_steps, 'appeal', appeal, 'at', created_at) as refusal
         from certificates.refusals where recipient_id = $1 order by subject_id, created_at desc
     )
     select * from (
       select 'assessment' as kind, a.id, a.status, a.created_at as at, coalesce(a.reason, 'Признание нуждающимся в социальном обслуживании') as title,
              json_build_object('decision_due', a.decision_due, 'programme_due', a.programme_due, 'source', a.source) as details, r.refusal
         from certificates.assessments a left join refusal r on r.subject_id = a.id and a.status = 'refused' where a.recipient_id = $1
       union all
       select 'certificate', c.id, c.status, c.created_at, 'Сертификат ' || c.number,
              json_build_object('number', c.number, 'value', c.value::text, 'valid_to', c.valid_to), r.refusal
         from certificates.certificates c left join refusal r on r.subject_id = c.id and c.status = 'refused' where c.recipient_id = $1
       union all
       select 'booking', b.id, b.status, b.requested_at, 'Запись к поставщику: ' || b.provider_name,
              json_build_object('provider_id', b.provider_id, 'service_code', b.service_code, 'units', b.units,
                'unit', (select l.unit from certificates.certificate_lines l where l.id = b.line_id)), r.refusal
         from certificates.bookings b left join refusal r on r.subject_id = b.id and b.status = 'declined' where b.recipient_id = $1
       union all
       select 'delivery', d.id, d.status, d.recorded_at, 'Акт об оказании услуги от ' || to_char(d.delivered_on, 'DD.MM.YYYY'),
              json_build_object('units', d.units, 'unit', (select l.unit from certificates.certificate_lines l where l.id = d.line_id), 'amount', d.amount::text, 'confirm_by', d.confirm_by, 'resolution', d.resolution, 'dispute_reason', d.dispute_reason), r.refusal
         from certificates.deliveries d left join refusal r on r.subject_id = d.id and d.status = 'refused' where d.recipient_id = $1
       union all
       select 'refusal', f.id, 'refused', f.created_at, 'Отказ',
              json_build_object('subject_kind', f.subject_kind, 'subject_id', f.subject_id),
              json_build_object('code', f.code, 'reason', f.reason, 'next_steps', f.next_steps, 'appeal', f.appeal, 'at', f.created_at)
         from certificates.refusals f where f.recipient_id = $1
          and not exists (select 1 from certificates.assessments a where a.id = f.subject_id and a.status = 'refused')
          and not exists (select 1 from certificates.certificates c where c.id = f.subject_id and c.status = 'refused')
          and not exists (select 1 from certificates.bookings b where b.id = f.subject_id and b.status = 'declined')
          and not exists (select 1 from certificates.deliveries d where d.id = f.subject_id and d.status = 'refused')
     ) history order by at desc limit 500`,
    [recipientId],
  );
}

export interface NoticeRow {
  id: string;
  kind: string;
  text: string;
  subject_id: string | null;
  created_at: string;
}

/** The recipient's notices, newest first (at most 100). */
export async function noticesOfRecipient(em: EntityManager, recipientId: string): Promise<NoticeRow[]> {
  return sqlOf(em).rows<NoticeRow>(`select id, kind, text, subject_id, created_at from certificates.notices where recipient_id = $1 order by created_at desc limit 100`, [recipientId]);
}
