import { iso } from './time';
import type { EntityManager, Principal } from '@esc/service-kit';
import { cabinetRecipient } from './cabinet';

/**
 * Everything a citizen asked for or was offered, newest first: assessments, certificates, bookings and
 * disputed acts, each with its status and, when refused, the stored refusal; plus notices.
 */
export async function myRequests(em: EntityManager, principal: Principal, query: { recipient_id?: string } = {}) {
  const recipient = await cabinetRecipient(em, principal, query.recipient_id);
  if (!recipient) return { recipient_id: null, items: [], notices: [] };
  const items: Array<Record<string, unknown>> = await em.execute(
    `with refusal as (
       select distinct on (subject_id) subject_id, json_build_object('code', code, 'reason', reason, 'next_steps', next_steps, 'appeal', appeal, 'at', created_at) as refusal
         from certificates.refusals where recipient_id = ? order by subject_id, created_at desc
     )
     select * from (
       select 'assessment' as kind, a.id, a.status, a.created_at as at, coalesce(a.reason, 'Признание нуждающимся в социальном обслуживании') as title,
              json_build_object('decision_due', a.decision_due, 'programme_due', a.programme_due, 'source', a.source) as details, r.refusal
         from certificates.assessments a left join refusal r on r.subject_id = a.id and a.status = 'refused' where a.recipient_id = ?
       union all
       select 'certificate', c.id, c.status, c.created_at, 'Сертификат ' || c.number,
              json_build_object('number', c.number, 'value', c.value::text, 'valid_to', c.valid_to), r.refusal
         from certificates.certificates c left join refusal r on r.subject_id = c.id and c.status = 'refused' where c.recipient_id = ?
       union all
       select 'booking', b.id, b.status, b.requested_at, 'Запись к поставщику: ' || b.provider_name,
              json_build_object('provider_id', b.provider_id, 'service_code', b.service_code, 'units', b.units,
                'unit', (select l.unit from certificates.certificate_lines l where l.id = b.line_id)), r.refusal
         from certificates.bookings b left join refusal r on r.subject_id = b.id and b.status = 'declined' where b.recipient_id = ?
       union all
       select 'delivery', d.id, d.status, d.recorded_at, 'Акт об оказании услуги от ' || to_char(d.delivered_on, 'DD.MM.YYYY'),
              json_build_object('units', d.units, 'unit', (select l.unit from certificates.certificate_lines l where l.id = d.line_id), 'amount', d.amount::text, 'confirm_by', d.confirm_by, 'resolution', d.resolution, 'dispute_reason', d.dispute_reason), r.refusal
         from certificates.deliveries d left join refusal r on r.subject_id = d.id and d.status = 'refused' where d.recipient_id = ?
       union all
       select 'refusal', f.id, 'refused', f.created_at, 'Отказ',
              json_build_object('subject_kind', f.subject_kind, 'subject_id', f.subject_id),
              json_build_object('code', f.code, 'reason', f.reason, 'next_steps', f.next_steps, 'appeal', f.appeal, 'at', f.created_at)
         from certificates.refusals f where f.recipient_id = ?
          and not exists (select 1 from certificates.assessments a where a.id = f.subject_id and a.status = 'refused')
          and not exists (select 1 from certificates.certificates c where c.id = f.subject_id and c.status = 'refused')
          and not exists (select 1 from certificates.bookings b where b.id = f.subject_id and b.status = 'declined')
          and not exists (select 1 from certificates.deliveries d where d.id = f.subject_id and d.status = 'refused')
     ) history order by at desc limit 500`,
    [recipient.id, recipient.id, recipient.id, recipient.id, recipient.id, recipient.id],
  );
  const notices: Array<{ id: string; kind: string; text: string; subject_id: string | null; created_at: Date }> = await em.execute(
    `select id, kind, text, subject_id, created_at from certificates.notices where recipient_id = ? order by created_at desc limit 100`,
    [recipient.id],
  );
  return {
    recipient_id: recipient.id,
    items: items.map((i) => ({ ...i, at: iso(i.at as string), refusal: i.refusal ?? null })),
    notices: notices.map((n) => ({ ...n, created_at: iso(n.created_at) })),
  };
}
