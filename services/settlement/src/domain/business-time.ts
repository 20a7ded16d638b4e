import { unprocessable } from '@esc/service-kit';

/**
 * A moment as the region's calendar and clock show it. Payment files, payment orders and the bank
 * count days in the region's own time: in Ulyanovsk (UTC+4) 23:52 UTC on 6 December is already
 * 03:52 on the 7th.
 */
export interface BusinessDateTime {
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM:SS, 24-hour */
  time: string;
  /** The zone's offset from UTC at that moment, ±HH:MM */
  offset: string;
  year: number;
  timeZone: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterOf(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Whether the IANA zone name is known to this Node (its ICU time zone data). */
export function isTimeZone(name: string): boolean {
  try {
    formatterOf(name);
    return true;
  } catch {
    return false;
  }
}

/** The region's business date and time at `at` in `timeZone` (an IANA name such as Europe/Ulyanovsk); whole seconds. */
export function businessDateTime(at: Date, timeZone: string): BusinessDateTime {
  const seconds = Math.floor(at.getTime() / 1000) * 1000;
  const parts = Object.fromEntries(formatterOf(timeZone).formatToParts(new Date(seconds)).map((p) => [p.type, p.value]));
  const [year, month, day, hour, minute, second] = ['year', 'month', 'day', 'hour', 'minute', 'second'].map((k) => Number(parts[k]));
  const offsetMinutes = Math.round((Date.UTC(year!, month! - 1, day!, hour!, minute!, second!) - seconds) / 60_000);
  const abs = Math.abs(offsetMinutes);
  const two = (n: number) => String(n).padStart(2, '0');
  return {
    date: `${String(year).padStart(4, '0')}-${two(month!)}-${two(day!)}`,
    time: `${two(hour!)}:${two(minute!)}:${two(second!)}`,
    offset: `${offsetMinutes < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`,
    year: year!,
    timeZone,
  };
}

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
