import { iso } from './time';
/**
 * Non-working days of the Russian production calendar (Labour Code art. 112 and the government's
 * transfer decrees) for the years the service runs in. Weekends are non-working besides these.
 * Add each year's decree when it is published.
 */
const HOLIDAYS = new Set([
  // 2026
  '2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09',
  '2026-02-23', '2026-03-09', '2026-05-01', '2026-05-11', '2026-06-12', '2026-11-04', '2026-12-31',
  // 2027
  '2027-01-01', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08',
  '2027-02-23', '2027-03-08', '2027-05-03', '2027-05-10', '2027-06-14', '2027-11-04', '2027-12-31',
]);

export const isoDate = (d: Date) => iso(d).slice(0, 10);

export function isWorkingDay(date: string): boolean {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6 && !HOLIDAYS.has(date);
}

/** The date `n` working days after `from` (442-FZ deadlines count working days from the day after). */
export function addWorkingDays(from: string, n: number): string {
  const d = new Date(`${from}T00:00:00Z`);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isWorkingDay(isoDate(d))) left--;
  }
  return isoDate(d);
}

export function addMonths(date: string, months: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const lastDay = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, lastDay));
  return isoDate(d);
}

export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return isoDate(d);
}

/** The instant as Moscow's wall clock, `YYYY-MM-DDTHH:MM:SS…`: the time the region's offices work by. */
export function moscowClock(now: Date): string {
  return new Date(now.getTime() + 3 * 3600 * 1000).toISOString();
}

/** Today in Moscow time, the date the region's offices work by. */
export function todayInRussia(now = new Date()): string {
  return moscowClock(now).slice(0, 10);
}
