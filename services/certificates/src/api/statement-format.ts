import type { ActStatus, Movement, Statement } from '../domain/statement';
import type { CertificateStatus } from '../domain/certificates';
import { businessDateTime, moscowRelativeLabel } from '@esc/service-kit';

/** What people read in a statement: Russian labels, the region's dates and times, the file's name. */

export const CERTIFICATE_STATUS: Record<CertificateStatus, string> = {
  issuing: 'оформляется',
  refused: 'в выдаче отказано',
  issued: 'выдан',
  active: 'действует',
  suspended: 'приостановлен',
  exhausted: 'использован полностью',
  expired: 'истёк срок действия',
  revoked: 'отозван',
};

export const ACT_STATUS: Record<ActStatus, string> = {
  held: 'ожидает подтверждения',
  posted: 'подтверждён',
  partly_confirmed: 'подтверждён частично',
  voided: 'аннулирован',
};

const UNITS: Record<string, string> = { hour: 'час', day: 'день', visit: 'посещение', course: 'курс' };
export const unitLabel = (unit: string) => UNITS[unit] ?? unit;

export function movementTitle(m: Movement): string {
  if (m.kind === 'issue') return 'Зачисление номинала сертификата';
  if (m.kind === 'release') return 'Возврат остатка в бюджет';
  return `Акт об оказании услуг № ${m.delivery_id!.slice(0, 8)}`;
}

export function actStatusLabel(m: Movement): string {
  if (!m.status) return '';
  return m.status === 'partly_confirmed' ? `${ACT_STATUS.partly_confirmed} (${m.confirmed_units} из ${m.units})` : ACT_STATUS[m.status];
}

/** 2026-12-01 → 01.12.2026 */
export const ruDate = (date: string) => `${date.slice(8, 10)}.${date.slice(5, 7)}.${date.slice(0, 4)}`;

/** An instant as the date (and time) by the certificate's region's clock. */
export function regionClock(instant: string, timeZone: string, withTime = false): string {
  const { date, time } = businessDateTime(new Date(instant), timeZone);
  return withTime ? `${ruDate(date)} ${time.slice(0, 5)}` : ruDate(date);
}

/** «07.12.2026 09:15 (МСК+1)»: when the statement was made, by the region's clock, named against Moscow's. */
export const generatedAt = (s: Statement) => `${regionClock(s.generated_at, s.time_zone, true)} (${moscowRelativeLabel(new Date(s.generated_at), s.time_zone)})`;

export const validity = (s: Statement) => `с ${ruDate(s.certificate.valid_from)} по ${ruDate(s.certificate.valid_to)}`;

/**
 * Content-Disposition for a download (RFC 6266): an ASCII `filename` every client understands and the
 * Russian name as `filename*` for those that read it.
 */
export function attachment(number: string, ext: 'csv' | 'pdf'): string {
  const safe = number.replace(/[^0-9A-Za-z-]/g, '_');
  return `attachment; filename="vypiska-${safe}.${ext}"; filename*=UTF-8''${encodeURIComponent(`Выписка_${safe}.${ext}`)}`;
}
