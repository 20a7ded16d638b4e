import { unprocessable, type BusinessDateTime } from '@esc/service-kit';

// The pure clock arithmetic is shared with the other services (packages/service-kit/src/business-time.ts).
export { businessDateTime, isTimeZone, type BusinessDateTime } from '@esc/service-kit';

/** DD.MM.YYYY, as 1CClientBankExchange and Russian payment orders write a date. */
export const russianDate = (b: BusinessDateTime): string => `${b.date.slice(8, 10)}.${b.date.slice(5, 7)}.${b.date.slice(0, 4)}`;

/** ISO 8601 local time with the offset, e.g. 2026-12-07T03:52:00+04:00 (ISO 20022 ISODateTime). */
export const isoDateTimeWithOffset = (b: BusinessDateTime): string => `${b.date}T${b.time}${b.offset}`;

/**
 * The IANA time zone of a region (from REGION_TIME_ZONES). A region without one is refused rather
 * than guessed: Moscow time would misdate payment orders of every region east or west of it.
 */
export function regionTimeZone(zones: ReadonlyMap<string, string>, regionCode: string): string {
  const zone = zones.get(regionCode);
  if (!zone) {
    throw unprocessable(
      'region_time_zone_unknown',
      `Для региона ${regionCode} не задан часовой пояс, а даты в платёжных документах ставятся по местному времени региона. Файл не сформирован; попросите администратора указать пояс региона в настройке REGION_TIME_ZONES (например, «${regionCode}=Europe/Samara») и повторите выгрузку.`,
      { region_code: regionCode },
    );
  }
  return zone;
}
