import type { CertificatesSchemas } from '../../api/client';

type S = CertificatesSchemas;

export const CERTIFICATE_STATUS: Record<S['CertificateStatus'], string> = {
  issuing: 'Оформляется',
  refused: 'Отказано в выдаче',
  issued: 'Выдан, поставщик не выбран',
  active: 'Действует',
  suspended: 'Приостановлен',
  exhausted: 'Средства израсходованы',
  expired: 'Срок действия истёк',
  revoked: 'Отозван',
};

export const BOOKING_STATUS: Record<S['BookingStatus'], string> = {
  requested: 'Ожидает ответа поставщика',
  accepted: 'Договор заключён',
  declined: 'Поставщик отказал',
  cancelled: 'Отменена',
};

export const DELIVERY_STATUS: Record<S['DeliveryStatus'], string> = {
  authorising: 'Оформляется',
  held: 'Ожидает подтверждения',
  posted: 'Подтверждён',
  voided: 'Аннулирован',
  refused: 'Отклонён',
};

export const DELIVERY_RESOLUTION: Record<S['DeliveryResolution'], string> = {
  confirmed: 'подтверждён полностью',
  auto_confirmed: 'подтверждён автоматически',
  disputed: 'оспорен, оплата не производится',
  partly_disputed: 'подтверждён частично',
  hold_expired: 'аннулирован: истёк срок блокировки средств',
};

export const ASSESSMENT_STATUS: Record<S['AssessmentStatus'], string> = {
  open: 'На рассмотрении',
  recognised: 'Признан нуждающимся',
  refused: 'Отказано',
  programme_drawn: 'Составлена индивидуальная программа',
};

export const REFUSAL_CODE: Record<S['RefusalCode'], string> = {
  not_in_need: 'Не признан нуждающимся',
  documents_incomplete: 'Не хватает документов',
  not_resident: 'Не проживает в регионе',
  budget_exhausted: 'Закончились средства бюджета',
  provider_not_admitted: 'Поставщик не допущен',
  provider_suspended: 'Работа поставщика приостановлена',
  provider_excluded: 'Поставщик исключён из реестра',
  no_free_capacity: 'Нет свободных мест',
  declined_by_provider: 'Поставщик отказал в договоре',
  units_beyond_booking: 'Объём больше записанного',
  insufficient_balance: 'Недостаточно средств',
  certificate_not_active: 'Сертификат не действует',
  date_outside_validity: 'Дата вне срока действия',
};

export const DECLINE_CODE: Record<S['DeclineCode'], string> = {
  no_staff_in_area: 'нет специалистов в вашем районе',
  capacity_exhausted: 'нет свободных мест',
  service_not_suitable: 'услуга не подходит по состоянию здоровья',
  recipient_unreachable: 'не удалось связаться с вами',
  other: 'другая причина',
};

export const SERVICE_FORM: Record<S['ServiceForm'], string> = {
  home: 'на дому',
  day_care: 'полустационарная',
  residential: 'стационарная',
};

export const FUNDING_MODE: Record<S['FundingMode'], string> = {
  state_assignment: 'государственное учреждение',
  compensation: 'негосударственный поставщик',
};

export const HISTORY_KIND: Record<S['HistoryItem']['kind'], string> = {
  assessment: 'Заявление',
  certificate: 'Сертификат',
  booking: 'Запись к поставщику',
  delivery: 'Акт об оказании услуг',
  refusal: 'Отказ',
};

/** A status of any kind of history item in Russian; an unknown value is shown as it came. */
export function historyStatus(kind: S['HistoryItem']['kind'], status: string): string {
  const table: Record<string, string> =
    kind === 'assessment' ? ASSESSMENT_STATUS : kind === 'certificate' ? CERTIFICATE_STATUS : kind === 'booking' ? BOOKING_STATUS : kind === 'delivery' ? DELIVERY_STATUS : { refused: 'Отказано' };
  return table[status] ?? status;
}

export function refusalName(code: string): string {
  return (REFUSAL_CODE as Record<string, string>)[code] ?? 'Отказ';
}

/** «4,50» from the registry's decimal string "4.50", never through a float. */
export function formatRating(rating: string): string {
  return rating.replace('.', ',');
}

export { formatSnils } from '../../format/snils';

/** The navigator's and the cabinet's units are the catalog's: one table of their Russian forms. */
export { unitCount as unitsText } from '../public/dictionary';
