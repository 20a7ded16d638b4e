import { z } from 'zod';

/**
 * Business dates in a region's own time zone. Validity, deadlines and payment documents count days
 * as the region's calendar shows them: in Ulyanovsk (UTC+4) 20:30 UTC on 6 December is already the 7th.
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

/** A zone's clock as Russians name it against Moscow's at `at`: «МСК» in Moscow, «МСК+1» in Ulyanovsk, «МСК−1» in Kaliningrad. */
export function moscowRelativeLabel(at: Date, timeZone: string): string {
  const minutes = (offset: string) => (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)));
  const hours = (minutes(businessDateTime(at, timeZone).offset) - minutes(businessDateTime(at, 'Europe/Moscow').offset)) / 60;
  return hours === 0 ? 'МСК' : `МСК${hours > 0 ? '+' : '−'}${Math.abs(hours)}`;
}

/** The zones every deployment knows (the pilot region and Moscow, whose catalog the navigator also shows); REGION_TIME_ZONES adds to them or overrides them. */
export const DEFAULT_REGION_TIME_ZONES: Readonly<Record<string, string>> = { '73': 'Europe/Ulyanovsk', '77': 'Europe/Moscow' };

/** The entries of a REGION_TIME_ZONES spec, `code=Zone` separated by commas (e.g. `63=Europe/Samara,77=Europe/Moscow`). */
export function regionTimeZoneEntries(spec: string): Array<{ entry: string; code: string; zone: string }> {
  return spec
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [code = '', zone = ''] = entry.split('=').map((s) => s.trim());
      return { entry, code, zone };
    });
}

/** What is wrong with a REGION_TIME_ZONES spec, one sentence per bad entry; empty when nothing is. */
export function regionTimeZoneProblems(spec: string): string[] {
  return regionTimeZoneEntries(spec).flatMap(({ entry, code, zone }) =>
    !/^[0-9]{2}$/.test(code)
      ? [`«${entry}»: a region code is two digits, as in 73=Europe/Ulyanovsk`]
      : !isTimeZone(zone)
        ? [`«${entry}»: ${zone || 'no zone'} is not an IANA time zone known to this Node`]
        : [],
  );
}

/** The built-in zones with the spec's on top; the spec must already be valid (see regionTimeZoneProblems). */
export function regionTimeZoneMap(spec: string): ReadonlyMap<string, string> {
  const zones = new Map(Object.entries(DEFAULT_REGION_TIME_ZONES));
  for (const { code, zone } of regionTimeZoneEntries(spec)) zones.set(code, zone);
  return zones;
}

/** A region's time written for a person: «07.12.2026, 09:30 (МСК+1)». */
export function regionTimeLabel(at: Date | string, timeZone: string): string {
  const instant = new Date(at);
  const b = businessDateTime(instant, timeZone);
  return `${b.date.slice(8, 10)}.${b.date.slice(5, 7)}.${b.date.slice(0, 4)}, ${b.time.slice(0, 5)} (${moscowRelativeLabel(instant, timeZone)})`;
}

/** The REGION_TIME_ZONES setting every dated service reads: `code=Zone` pairs on top of the built-in zones, each checked at start-up. */
export const regionTimeZonesSetting = () =>
  z
    .string()
    .default('')
    .superRefine((spec, ctx) => {
      for (const problem of regionTimeZoneProblems(spec)) ctx.addIssue({ code: 'custom', message: problem });
    });
