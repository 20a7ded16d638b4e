/** The app serves Ulyanovsk oblast, whose deadlines and business dates are kept by its own clock (UTC+4), not Moscow's. */
export const REGION_TIME_ZONE = 'Europe/Ulyanovsk';

const dateTime = new Intl.DateTimeFormat('ru-RU', { timeZone: REGION_TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit' });
const dateOnly = new Intl.DateTimeFormat('ru-RU', { timeZone: REGION_TIME_ZONE, day: '2-digit', month: '2-digit', year: 'numeric' });
const timeOnly = new Intl.DateTimeFormat('ru-RU', { timeZone: REGION_TIME_ZONE, hour: '2-digit', minute: '2-digit' });
const calendarDate = new Intl.DateTimeFormat('en-CA', { timeZone: REGION_TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' });

function utcOffsetMinutes(timeZone: string, at: Date): number {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return match ? (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3])) : 0;
}

/** The region's clock as Russians name it against Moscow's: «МСК+1» for Ulyanovsk. */
export function regionClockLabel(at: Date = new Date()): string {
  const hours = (utcOffsetMinutes(REGION_TIME_ZONE, at) - utcOffsetMinutes('Europe/Moscow', at)) / 60;
  return hours === 0 ? 'МСК' : `МСК${hours > 0 ? '+' : '−'}${Math.abs(hours)}`;
}

/** The region's calendar date of an instant, as YYYY-MM-DD. */
export function regionDate(at: Date): string {
  return calendarDate.format(at);
}

/** дд.мм.гггг; a calendar date (YYYY-MM-DD) is shown as it is, never shifted by a time zone. */
export function formatDate(value: string): string {
  const calendar = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (calendar) return `${calendar[3]}.${calendar[2]}.${calendar[1]}`;
  return dateOnly.format(new Date(value));
}

/** дд.мм.гггг чч:мм by the region's clock, named against Moscow's. */
export function formatDateTime(value: string): string {
  const at = new Date(value);
  return `${dateTime.format(at).replace(',', '')} (${regionClockLabel(at)})`;
}

/** чч:мм by the region's clock, the one the deadlines are kept by. */
export function formatTime(value: string): string {
  return timeOnly.format(new Date(value));
}

/** «N дней» with the right Russian plural. */
export function plural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  if (mod10 === 1 && mod100 !== 11) return one;
  if (mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14)) return few;
  return many;
}

export const days = (n: number) => `${n} ${plural(n, 'день', 'дня', 'дней')}`;

/** ДД.ММ.ГГГГ (as people write it) or ГГГГ-ММ-ДД, to the API's calendar date; null when it is no real date. */
export function parseRuDate(raw: string): string | null {
  const text = raw.trim();
  const m = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(text) ?? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!m) return null;
  const iso = text.includes('.') ? `${m[3]}-${m[2]}-${m[1]}` : text;
  const date = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === iso ? iso : null;
}
