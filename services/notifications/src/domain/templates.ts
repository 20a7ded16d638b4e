import { DEFAULT_REGION_TIME_ZONES, regionTimeLabel } from '@esc/service-kit';
import { citizenKey, providerKey } from './audience';
import type { ActRecorded, ActSettled, BookingCreated, BookingDecided, CertificateIssued, CertificateStatusChanged } from './events';

export type NoticeKind = 'act_recorded' | 'act_auto_confirmed' | 'act_disputed' | 'booking_created' | 'booking_accepted' | 'booking_declined' | 'certificate_issued' | 'certificate_suspended' | 'certificate_revoked';

/** One notice to one person key: what happened, what to do and by when. */
export interface Notice {
  personKey: string;
  kind: NoticeKind;
  title: string;
  body: string;
  actionDueAt: string | null;
  subject: { type: 'delivery' | 'booking' | 'certificate'; id: string };
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
