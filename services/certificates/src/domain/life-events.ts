import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { conflict, withTransaction, type Principal } from '@esc/service-kit';
import { findLifeEvent, insertLifeEvent, insertNotice, lockLifeEventId, type KnownLifeEvent } from '../data-access/life-event-store';
import { findAssessment, insertAssessment } from './assessments';
import { todayIn } from './business-date';
import type { Deps } from './context';
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
export async function receiveLifeEvent(deps: Deps, principal: Principal, input: LifeEventInput) {
  const snils = assertSnils(input.person.snils);
  return withTransaction(deps.orm.em.fork(), async (tx) => {
    const known = await findLifeEvent(tx, input.id);
    if (known) return { created: false, event_id: input.id, ...sameEventOrConflict(known, input), assessment: await findAssessment(tx, known.assessment_id) };
    // Two deliveries of the same event may race: the lock on its id makes the second wait and then find it.
    await lockLifeEventId(tx, input.id);
    const again = await findLifeEvent(tx, input.id);
    if (again) return { created: false, event_id: input.id, ...sameEventOrConflict(again, input), assessment: await findAssessment(tx, again.assessment_id) };

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
      openedOn: todayIn(deps, recipient.region_code),
    });
    await insertLifeEvent(tx, {
      id: input.id,
      kind: input.kind,
      source: principal.subject,
      snils,
      regionCode: input.region_code,
      payload: input,
      recipientId: recipient.id,
      assessmentId,
    });
    await insertNotice(tx, { id: randomUUID(), recipientId: recipient.id, kind: 'proactive_assessment', text: situation.notice, subjectId: assessmentId });
    return { created: true, event_id: input.id, recipient_id: recipient.id, assessment_id: assessmentId, assessment: await findAssessment(tx, assessmentId) };
  });
}

/** A delivery of an event already handled: its recipient and assessment when it is the same event, 409 when the id now carries another. */
function sameEventOrConflict(known: KnownLifeEvent, input: LifeEventInput): Pick<KnownLifeEvent, 'recipient_id' | 'assessment_id'> {
  if (!isDeepStrictEqual(known.payload, JSON.parse(JSON.stringify(input)))) {
    throw conflict(
      'life_event_id_conflict',
      `Событие с идентификатором ${input.id} уже получено с другими сведениями. Повторите исходное событие без изменений или передайте новое событие с новым идентификатором.`,
      { event_id: input.id },
    );
  }
  return { recipient_id: known.recipient_id, assessment_id: known.assessment_id };
}
