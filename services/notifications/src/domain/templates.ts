import { DEFAULT_REGION_TIME_ZONES, regionTimeLabel } from '@esc/service-kit';
import { citizenKey, providerKey } from './audience';
import type {
  ActConfirmationDue,
  ActRecorded,
  ActSettled,
  AssessmentRecognised,
  BookingCreated,
  BookingDecided,
  CertificateExpired,
  CertificateExpiring,
  CertificateIssued,
  CertificateStatusChanged,
  ProgrammeDrawn,
  RefusalRecorded,
} from './events';

export type NoticeKind =
  | 'act_recorded'
  | 'act_confirmation_due'
  | 'act_auto_confirmed'
  | 'act_disputed'
  | 'booking_created'
  | 'booking_accepted'
  | 'booking_declined'
  | 'certificate_issued'
  | 'certificate_expiring'
  | 'certificate_expired'
  | 'certificate_suspended'
  | 'certificate_revoked'
  | 'assessment_recognised'
  | 'programme_drawn'
  | 'refusal_recorded';

export type SubjectType = 'delivery' | 'booking' | 'certificate' | 'assessment' | 'programme';

/** One notice to one person key: what happened, what to do and by when. */
export interface Notice {
  personKey: string;
  kind: NoticeKind;
  title: string;
  body: string;
  actionDueAt: string | null;
  subject: { type: SubjectType; id: string };
  /** The SMS's first sentence when the title alone would not say what to do by when. */
  sms?: string;
}

const zoneOf = (regionCode: string) => DEFAULT_REGION_TIME_ZONES[regionCode] ?? 'Europe/Moscow';
const ruDate = (isoDate: string) => `${isoDate.slice(8, 10)}.${isoDate.slice(5, 7)}.${isoDate.slice(0, 4)}`;

export function actRecordedNotices(p: ActRecorded): Notice[] {
  const by = regionTimeLabel(p.confirm_by, zoneOf(p.region_code));
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'act_recorded',
      title: 'Подтвердите оказанную услугу',
      body:
        `${p.provider_name} отметил(а) оказание услуги «${p.service_name}» (${p.units} ед.) ${ruDate(p.delivered_on)} по сертификату № ${p.certificate_number}. ` +
        `Подтвердите или оспорьте её в личном кабинете до ${by}. Если вы ничего не сделаете, услуга будет считаться подтверждённой и оплачена поставщику.`,
      actionDueAt: p.confirm_by,
      subject: { type: 'delivery', id: p.delivery_id },
      sms: `Подтвердите или оспорьте услугу «${p.service_name}» от ${ruDate(p.delivered_on)} до ${by}.`,
    },
  ];
}

export function actAutoConfirmedNotices(p: ActSettled): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'act_auto_confirmed',
      title: 'Услуга подтверждена автоматически',
      body:
        `Срок подтверждения истёк: услуга «${p.service_name}» (${p.units} ед.) от ${ruDate(p.delivered_on)} по сертификату № ${p.certificate_number} считается оказанной и оплачена ${p.provider_name}. ` +
        'Если услугу на самом деле не оказали, обратитесь в орган социальной защиты населения.',
      actionDueAt: null,
      subject: { type: 'delivery', id: p.delivery_id },
    },
  ];
}

export function actDisputedNotices(p: ActSettled): Notice[] {
  const part = p.resolution === 'partly_disputed' ? `частично (подтверждено ${p.confirmed_units} из ${p.units} ед.)` : `полностью (${p.units} ед.)`;
  const reason = p.dispute_reason?.trim() ? ` Причина: ${p.dispute_reason.trim()}.`.replace(/\.\.$/, '.') : '';
  return [
    {
      personKey: providerKey(p.provider_id),
      kind: 'act_disputed',
      title: 'Получатель оспорил акт',
      body:
        `Получатель оспорил ${part} акт об оказании услуги «${p.service_name}» от ${ruDate(p.delivered_on)} по сертификату № ${p.certificate_number}.${reason} ` +
        'Оспоренные единицы не оплачиваются. Свяжитесь с получателем, чтобы выяснить причину; при несогласии обратитесь в орган социальной защиты населения.',
      actionDueAt: null,
      subject: { type: 'delivery', id: p.delivery_id },
    },
  ];
}

export function bookingCreatedNotices(p: BookingCreated): Notice[] {
  const by = p.respond_by ? ` до ${regionTimeLabel(p.respond_by, zoneOf(p.region_code))}` : '';
  return [
    {
      personKey: providerKey(p.provider_id),
      kind: 'booking_created',
      title: 'Новая запись на услугу',
      body: `Получатель записался на услугу «${p.service_name}» (${p.units} ед.) по сертификату № ${p.certificate_number}. Примите запись или откажите с указанием причины в кабинете поставщика${by}.`,
      actionDueAt: p.respond_by ?? null,
      subject: { type: 'booking', id: p.booking_id },
    },
  ];
}

export function bookingAcceptedNotices(p: BookingDecided): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'booking_accepted',
      title: 'Поставщик принял вашу запись',
      body: `${p.provider_name} принял(а) вашу запись на услугу «${p.service_name}». Поставщик свяжется с вами, чтобы договориться о времени; после каждой оказанной услуги подтвердите её в личном кабинете.`,
      actionDueAt: null,
      subject: { type: 'booking', id: p.booking_id },
    },
  ];
}

export function bookingDeclinedNotices(p: BookingDecided): Notice[] {
  const reason = p.reason?.trim() ? ` Причина: ${p.reason.trim()}.`.replace(/\.\.$/, '.') : '';
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'booking_declined',
      title: 'Поставщик отказал в записи',
      body: `${p.provider_name} отказал(а) в записи на услугу «${p.service_name}».${reason} Средства сертификата не списаны: выберите другого поставщика в личном кабинете или обратитесь в орган соцзащиты.`,
      actionDueAt: null,
      subject: { type: 'booking', id: p.booking_id },
    },
  ];
}

export function certificateIssuedNotices(p: CertificateIssued): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'certificate_issued',
      title: 'Вам выдан социальный сертификат',
      body: `Выдан социальный сертификат № ${p.certificate_number}; он действует до ${ruDate(p.valid_until)} включительно. Выберите поставщика и запишитесь на услуги в личном кабинете до окончания срока действия.`,
      actionDueAt: null,
      subject: { type: 'certificate', id: p.certificate_id },
    },
  ];
}

const reasonOf = (reason: string | null | undefined) => (reason?.trim() ? ` Причина: ${reason.trim()}.`.replace(/\.\.$/, '.') : '');

export function certificateSuspendedNotices(p: CertificateStatusChanged): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'certificate_suspended',
      title: 'Действие сертификата приостановлено',
      body:
        `Действие социального сертификата № ${p.certificate_number} приостановлено.${reasonOf(p.reason)} ` +
        'Пока оно приостановлено, записаться к поставщику и получить услуги по нему нельзя. Чтобы узнать, что нужно для возобновления, обратитесь в орган социальной защиты населения.',
      actionDueAt: null,
      subject: { type: 'certificate', id: p.certificate_id },
    },
  ];
}

export function certificateRevokedNotices(p: CertificateStatusChanged): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'certificate_revoked',
      title: 'Сертификат отозван',
      body:
        `Социальный сертификат № ${p.certificate_number} отозван.${reasonOf(p.reason)} Записи к поставщикам по нему отменены. ` +
        'Если вы не согласны с решением, обжалуйте его в органе социальной защиты населения или в суде.',
      actionDueAt: null,
      subject: { type: 'certificate', id: p.certificate_id },
    },
  ];
}

/** «1 день», «3 дня», «30 дней». */
export function daysText(n: number): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  const word = mod10 === 1 && mod100 !== 11 ? 'день' : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? 'дня' : 'дней';
  return `${n} ${word}`;
}

export function actConfirmationDueNotices(p: ActConfirmationDue): Notice[] {
  const by = regionTimeLabel(p.confirm_by, zoneOf(p.region_code));
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'act_confirmation_due',
      title: 'Остались сутки, чтобы подтвердить или оспорить услугу',
      body:
        `${p.provider_name} отметил(а) оказание услуги «${p.service_name}» (${p.units} ед.) ${ruDate(p.delivered_on)} по сертификату № ${p.certificate_number}, а вы её ещё не подтвердили. ` +
        `Если услугу не оказали или оказали не полностью, оспорьте акт в личном кабинете до ${by}. После этого срока услуга будет считаться подтверждённой и оплачена поставщику.`,
      actionDueAt: p.confirm_by,
      subject: { type: 'delivery', id: p.delivery_id },
      sms: `До ${by} подтвердите или оспорьте услугу «${p.service_name}» от ${ruDate(p.delivered_on)}, иначе она будет подтверждена автоматически.`,
    },
  ];
}

export function certificateExpiringNotices(p: CertificateExpiring): Notice[] {
  const left = p.days_left === 0 ? 'это последний день' : `осталось ${daysText(p.days_left)}`;
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'certificate_expiring',
      title: `Сертификат действует до ${ruDate(p.valid_until)}`,
      body:
        `Социальный сертификат № ${p.certificate_number} действует до ${ruDate(p.valid_until)} включительно — ${left}. ` +
        'Получите записанные услуги до этой даты: после неё записи будут отменены, а неиспользованный остаток вернётся в бюджет. ' +
        'Если услуги нужны и дальше, заранее обратитесь в орган социальной защиты населения за пересмотром индивидуальной программы.',
      actionDueAt: null,
      subject: { type: 'certificate', id: p.certificate_id },
      sms: `Сертификат № ${p.certificate_number} действует до ${ruDate(p.valid_until)} (${left}).`,
    },
  ];
}

export function certificateExpiredNotices(p: CertificateExpired): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'certificate_expired',
      title: 'Срок действия сертификата истёк',
      body:
        `Социальный сертификат № ${p.certificate_number} больше не действует: срок его действия закончился ${ruDate(p.valid_until)}. Записи к поставщикам по нему отменены, остаток средств возвращён в бюджет. ` +
        'Если вы по-прежнему нуждаетесь в социальных услугах, обратитесь в орган социальной защиты населения: специалист проведёт обследование и при необходимости выдаст новый сертификат.',
      actionDueAt: null,
      subject: { type: 'certificate', id: p.certificate_id },
    },
  ];
}

export function assessmentRecognisedNotices(p: AssessmentRecognised): Notice[] {
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'assessment_recognised',
      title: 'Вы признаны нуждающимся в социальном обслуживании',
      body:
        'По вашему заявлению принято решение: вы признаны нуждающимся в социальном обслуживании. ' +
        `Специалист органа социальной защиты составит индивидуальную программу предоставления социальных услуг не позднее ${ruDate(p.programme_due)}. Делать ничего не нужно: мы сообщим, когда программа будет готова.`,
      actionDueAt: null,
      subject: { type: 'assessment', id: p.assessment_id },
    },
  ];
}

export function programmeDrawnNotices(p: ProgrammeDrawn): Notice[] {
  const services = p.services.map((s) => `«${s.service_name}» — ${s.volume_per_month} ${s.unit} в месяц, ${s.months} мес.`).join('; ');
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'programme_drawn',
      title: 'Составлена индивидуальная программа',
      body:
        `Составлена ваша индивидуальная программа предоставления социальных услуг с ${ruDate(p.valid_from)}: ${services}. ` +
        'Следующий шаг — сертификат: специалист органа социальной защиты выдаст его по этой программе, после чего вы выберете поставщика в личном кабинете. ' +
        'Если вы не согласны с составом или объёмом услуг, обратитесь к специалисту органа социальной защиты.',
      actionDueAt: null,
      subject: { type: 'programme', id: p.programme_id },
    },
  ];
}

const REFUSAL_TITLES: Record<RefusalRecorded['subject_kind'], string> = {
  assessment: 'Отказ в признании нуждающимся в социальном обслуживании',
  certificate: 'Сертификат не выдан',
  booking: 'Отказ в записи к поставщику',
  delivery: 'Отказ по акту об оказании услуг',
};

/** Every refusal: why, what to do next and how to appeal, as certificates words them. */
export function refusalRecordedNotices(p: RefusalRecorded): Notice[] {
  const sentence = (text: string) => (/[.!?]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`);
  return [
    {
      personKey: citizenKey(p.recipient_snils),
      kind: 'refusal_recorded',
      title: REFUSAL_TITLES[p.subject_kind],
      body: `${sentence(p.reason)} Что делать: ${sentence(p.next_steps)} ${sentence(p.appeal)}`,
      actionDueAt: null,
      subject: { type: p.subject_kind, id: p.subject_id },
    },
  ];
}
