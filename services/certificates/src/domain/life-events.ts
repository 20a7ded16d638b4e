import { randomUUID } from 'node:crypto';
import { withTransaction, type EntityManager, type Principal } from '@esc/service-kit';
import { findAssessment, insertAssessment } from './assessments';
import { assertSnils, findRecipientBySnils, insertRecipient } from './recipients';

export const LIFE_EVENT_KINDS = ['hospital_discharge_stroke', 'child_birth', 'release_from_prison', 'child_disability_established'] as const;
export type LifeEventKind = (typeof LIFE_EVENT_KINDS)[number];

const SITUATIONS: Record<LifeEventKind, { reason: string; notice: string }> = {
  hospital_discharge_stroke: {
    reason: 'Выписка из стационара после инсульта',
    notice:
      'Вас выписали из больницы после инсульта. Без заявления с вашей стороны специалист социальной защиты свяжется с вами в течение 5 рабочих дней, чтобы определить, какая помощь на дому нужна: уход, помощь по хозяйству, реабилитация. Услуги по сертификату можно получать у любого допущенного поставщика по вашему выбору.',
  },
  child_birth: {
    reason: 'Рождение ребёнка',
    notice: 'Поздравляем с рождением ребёнка! Специалист социальной защиты свяжется с вами и расскажет, какие услуги и меры поддержки положены семье.',
  },
  release_from_prison: {
    reason: 'Освобождение из мест лишения свободы, поиск работы',
    notice: 'Специалист социальной защиты свяжется с вами, чтобы помочь с жильём, документами и трудоустройством: социально-трудовые и социально-правовые услуги.',
  },
  child_disability_established: {
    reason: 'Ребёнку установлена инвалидность',
    notice:
      'Ребёнку установлена инвалидность. Специалист социальной защиты свяжется с вами в течение 5 рабочих дней, чтобы подобрать курс реабилитации; получать его можно у любого допущенного поставщика по сертификату.',
  },
};

export interface LifeEventInput {
  id: string;
  kind: LifeEventKind;
  occurred_on: string;
  region_code: string;
  person: { snils: string; last_name: string; first_name: string; middle_name?: string | null; birth_date: string; district_code: string; address: string; phone?: string | null };
  circumstances?: Record<string, unknown>;
}

/**
 * An event from a source system (a hospital's discharge) opens a proactive assessment for a case
 * worker and a notice for the citizen, without an application. The event's id makes it idempotent.
 */
export async function receiveLifeEvent(em: EntityManager, principal: Principal, input: LifeEventInput) {
  const snils = assertSnils(input.person.snils);
  return withTransaction(em, async (tx) => {
    const known: Array<{ recipient_id: string; assessment_id: string }> = await tx.execute(
      `select recipient_id, assessment_id from certificates.life_events where id = ?`,
      [input.id],
    );
    if (known[0]) return { created: false, event_id: input.id, ...known[0], assessment: await findAssessment(tx, known[0].assessment_id) };
    // Two deliveries of the same event may race: the row lock on the first insert makes the second wait and then find it.
    await tx.execute(`select pg_advisory_xact_lock(hashtext(?))`, [`life-event/${input.id}`]);
    const again: Array<{ recipient_id: string; assessment_id: string }> = await tx.execute(`select recipient_id, assessment_id from certificates.life_events where id = ?`, [input.id]);
    if (again[0]) return { created: false, event_id: input.id, ...again[0], assessment: await findAssessment(tx, again[0].assessment_id) };

    let recipient = await findRecipientBySnils(tx, snils);
    if (!recipient) {
      await insertRecipient(tx, { ...input.person, snils, region_code: input.region_code, own_income: '0.00', categories: [], household: [] }, principal.subject);
      recipient = (await findRecipientBySnils(tx, snils))!;
    }
    const situation = SITUATIONS[input.kind];
    const assessmentId = await insertAssessment(tx, {
      recipientId: recipient.id,
      regionCode: recipient.region_code,
      source: 'life_event',
      lifeEventId: input.id,
      reason: `${situation.reason} (${input.occurred_on})`,
      openedBy: principal.subject,
    });
    await tx.execute(
      `insert into certificates.life_events (id, kind, source, snils, region_code, payload, recipient_id, assessment_id) values (?, ?, ?, ?, ?, ?::jsonb, ?, ?)`,
      [input.id, input.kind, principal.subject, snils, input.region_code, JSON.stringify(input), recipient.id, assessmentId],
    );
    await tx.execute(`insert into certificates.notices (id, recipient_id, kind, text, subject_id) values (?, ?, 'proactive_assessment', ?, ?)`, [
      randomUUID(),
      recipient.id,
      situation.notice,
      assessmentId,
    ]);
    return { created: true, event_id: input.id, recipient_id: recipient.id, assessment_id: assessmentId, assessment: await findAssessment(tx, assessmentId) };
  });
}
