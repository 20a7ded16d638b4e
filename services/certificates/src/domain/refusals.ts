import { randomUUID } from 'node:crypto';
import { AppError, type EntityManager, type ErrorKind } from '@esc/service-kit';
import { writeRecipientNoticeEvent } from '../data-access/notice-event-store';
import { insertRefusal } from '../data-access/refusal-store';

export type SubjectKind = 'assessment' | 'certificate' | 'booking' | 'delivery';

interface RefusalText {
  kind: ErrorKind;
  reason: string;
  nextSteps: string;
  appeal: string;
}

const APPEAL_SOCIAL_PROTECTION =
  'Решение можно обжаловать в течение трёх месяцев: в орган социальной защиты населения региона (лично, почтой или через Госуслуги) или в суд.';
const APPEAL_PROVIDER =
  'Если считаете отказ необоснованным, подайте жалобу в орган социальной защиты населения региона через Госуслуги или лично; он проверит поставщика.';

const APPEAL_REGISTRY =
  'Приостановка и исключение — решение комиссии реестра поставщиков; вопросы о нём можно направить в орган социальной защиты населения региона через Госуслуги или лично.';
const CHOOSE_ANOTHER_PROVIDER =
  'Выберите другого поставщика из списка допущенных для этой услуги. Если вы уже записаны к этому поставщику, отмените запись в разделе «Мои записи» и запишитесь к другому: неиспользованный объём вернётся на сертификат, а уже оказанные услуги вы по-прежнему подтверждаете или оспариваете.';

/** Every refusal the service can give, in the words the person reads. The code is stable; texts may improve. */
export const REFUSALS = {
  not_in_need: {
    kind: 'unprocessable',
    reason: 'Обстоятельства, которые ухудшают или могут ухудшить условия жизнедеятельности, не подтвердились при обследовании.',
    nextSteps: 'Если обстоятельства изменятся (ухудшение здоровья, утрата способности к самообслуживанию), подайте новое заявление с медицинскими документами.',
    appeal: APPEAL_SOCIAL_PROTECTION,
  },
  documents_incomplete: {
    kind: 'unprocessable',
    reason: 'Не хватает документов, необходимых для признания нуждающимся в социальном обслуживании.',
    nextSteps: 'Принесите документ, удостоверяющий личность, сведения о доходах членов семьи за 12 месяцев и медицинское заключение, затем подайте заявление снова.',
    appeal: APPEAL_SOCIAL_PROTECTION,
  },
  not_resident: {
    kind: 'unprocessable',
    reason: 'Заявитель не проживает на территории региона, поэтому региональный орган не может признать его нуждающимся.',
    nextSteps: 'Обратитесь в орган социальной защиты по месту жительства или пребывания.',
    appeal: APPEAL_SOCIAL_PROTECTION,
  },
  budget_exhausted: {
    kind: 'unprocessable',
    reason: 'Средства бюджетной программы на этот год уже распределены: сертификат на полную стоимость индивидуальной программы выдать нельзя.',
    nextSteps:
      'Индивидуальная программа сохранена, заново подавать заявление не нужно: когда программа получит дополнительное финансирование или освободятся средства по истёкшим сертификатам, специалист органа социальной защиты выдаст сертификат по ней повторно.',
    appeal: APPEAL_SOCIAL_PROTECTION,
  },
  provider_not_admitted: {
    kind: 'unprocessable',
    reason: 'Выбранный поставщик не допущен к оказанию этой услуги в вашем районе.',
    nextSteps: 'Выберите другого поставщика из списка допущенных для этой услуги.',
    appeal: APPEAL_SOCIAL_PROTECTION,
  },
  provider_suspended: {
    kind: 'unprocessable',
    reason: 'Участие поставщика в системе сертификатов приостановлено реестром поставщиков: пока приостановка действует, он не принимает новые записи и не отмечает оказание услуг.',
    nextSteps: CHOOSE_ANOTHER_PROVIDER,
    appeal: APPEAL_REGISTRY,
  },
  provider_excluded: {
    kind: 'unprocessable',
    reason: 'Поставщик исключён из реестра поставщиков социальных услуг: он больше не принимает записи и не оказывает услуги по сертификатам.',
    nextSteps: CHOOSE_ANOTHER_PROVIDER,
    appeal: APPEAL_REGISTRY,
  },
  no_free_capacity: {
    kind: 'conflict',
    reason: 'У поставщика нет свободных мест по этой услуге на нужный объём в месяц.',
    nextSteps: 'Выберите другого поставщика со свободными местами или запишитесь позже: места освобождаются, когда завершаются другие договоры.',
    appeal: APPEAL_PROVIDER,
  },
  declined_by_provider: {
    kind: 'unprocessable',
    reason: 'Поставщик отказался заключить договор.',
    nextSteps: 'Выберите другого поставщика: объём услуги по сертификату снова свободен для записи.',
    appeal: APPEAL_PROVIDER,
  },
  units_beyond_booking: {
    kind: 'unprocessable',
    reason: 'Объём оказанных услуг превышает объём, оставшийся по договору (записи).',
    nextSteps: 'Проверьте число единиц в акте. Если услуга нужна в большем объёме, гражданин может обратиться за пересмотром индивидуальной программы.',
    appeal: APPEAL_SOCIAL_PROTECTION,
  },
  insufficient_balance: {
    kind: 'unprocessable',
    reason: 'На сертификате не осталось средств на эти услуги.',
    nextSteps: 'Проверьте остаток по сертификату. Услуги сверх номинала сертификата оплачиваются по отдельному договору.',
    appeal: APPEAL_SOCIAL_PROTECTION,
  },
  certificate_not_active: {
    kind: 'unprocessable',
    reason: 'Сертификат не действует: срок истёк, он отозван, приостановлен или исчерпан.',
    nextSteps: 'Проверьте статус сертификата; за новым сертификатом обратитесь к специалисту органа социальной защиты.',
    appeal: APPEAL_SOCIAL_PROTECTION,
  },
  date_outside_validity: {
    kind: 'unprocessable',
    reason: 'Дата оказания услуги вне срока действия сертификата или ещё не наступила.',
    nextSteps: 'Укажите дату в пределах срока действия сертификата, не позже сегодняшней.',
    appeal: APPEAL_SOCIAL_PROTECTION,
  },
} as const satisfies Record<string, RefusalText>;

export type RefusalCode = keyof typeof REFUSALS;

export interface RefusalView {
  code: RefusalCode;
  reason: string;
  next_steps: string;
  appeal: string;
}

export function refusalView(code: RefusalCode, reason?: string): RefusalView {
  const text = REFUSALS[code];
  return { code, reason: reason ? `${text.reason} ${reason}` : text.reason, next_steps: text.nextSteps, appeal: text.appeal };
}

/** A refusal as an error the API answers with, carrying what to do next and how to appeal. */
export function refusalError(code: RefusalCode, extra: Record<string, unknown> = {}, reason?: string): AppError {
  const view = refusalView(code, reason);
  return new AppError(REFUSALS[code].kind, code, view.reason, { next_steps: view.next_steps, appeal: view.appeal, ...extra });
}

/**
 * Stores a refusal in the caller's transaction so the person's history shows it. `notify` also tells
 * the recipient (refusal.recorded, same transaction): for decisions taken without them present (an
 * assessment refused, a certificate not issued); a refusal answered to their own request they read at once.
 */
export async function recordRefusal(
  em: EntityManager,
  refusal: { recipientId: string | null; regionCode: string | null; subjectKind: SubjectKind; subjectId: string; code: RefusalCode; reason?: string; notify?: boolean },
): Promise<RefusalView> {
  const view = refusalView(refusal.code, refusal.reason);
  const id = randomUUID();
  if (refusal.notify && refusal.recipientId) {
    await writeRecipientNoticeEvent(em, 'refusal.recorded', refusal.recipientId, {
      refusal_id: id,
      region_code: refusal.regionCode,
      subject_kind: refusal.subjectKind,
      subject_id: refusal.subjectId,
      code: view.code,
      reason: view.reason,
      next_steps: view.next_steps,
      appeal: view.appeal,
    });
  }
  await insertRefusal(em, {
    id,
    recipientId: refusal.recipientId,
    regionCode: refusal.regionCode,
    subjectKind: refusal.subjectKind,
    subjectId: refusal.subjectId,
    code: view.code,
    reason: view.reason,
    nextSteps: view.next_steps,
    appeal: view.appeal,
  });
  return view;
}
