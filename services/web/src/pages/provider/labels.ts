import type { CertificatesSchemas } from '../../api/client';

/** Decline reasons as the provider picks them (the citizen reads the same codes in their own words). */
export const DECLINE_REASON: Record<CertificatesSchemas['DeclineCode'], string> = {
  no_staff_in_area: 'Нет специалистов в районе получателя',
  capacity_exhausted: 'Нет свободных мест',
  service_not_suitable: 'Услуга не подходит получателю по состоянию здоровья',
  recipient_unreachable: 'Не удалось связаться с получателем',
  other: 'Другая причина',
};

export const INBOX_STATUS: Record<CertificatesSchemas['BookingStatus'], string> = {
  requested: 'Ждёт вашего ответа',
  accepted: 'Договор заключён',
  declined: 'Вы отказали',
  cancelled: 'Отменена получателем',
};
