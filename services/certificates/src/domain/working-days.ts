import { iso } from './time';
import { unprocessable, type AppError } from '@esc/service-kit';
import { PRODUCTION_CALENDAR, type CalendarYear } from '../calendar/production-calendar';

export interface LoadedYear {
  holidays: ReadonlySet<string>;
  workingWeekends: ReadonlySet<string>;
}

const isWeekend = (date: string) => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 || day === 6;
};

/**
 * Checks the production calendar's data and indexes it by year. Throws (at start-up, where the
 * module is first loaded) on a date that is not a real date of its year, a day both a holiday and
 * a transferred working day, or a transferred working day that is not a weekend.
 */
export function loadCalendar(data: Readonly<Record<number, CalendarYear>>): ReadonlyMap<number, LoadedYear> {
  const years = new Map<number, LoadedYear>();
  for (const [key, year] of Object.entries(data)) {
    const y = Number(key);
    for (const date of [...year.holidays, ...year.workingWeekends]) {
      const parsed = new Date(`${date}T00:00:00Z`);
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== date || parsed.getUTCFullYear() !== y) {
        throw new Error(`production calendar ${y}: ${date} is not a date of ${y}`);
      }
    }
    const holidays = new Set(year.holidays);
    for (const date of year.workingWeekends) {
      if (holidays.has(date)) throw new Error(`production calendar ${y}: ${date} is both a holiday and a working day`);
      if (!isWeekend(date)) throw new Error(`production calendar ${y}: ${date} is listed as a working weekend but is a weekday`);
    }
    years.set(y, { holidays, workingWeekends: new Set(year.workingWeekends) });
  }
  return years;
}

const CALENDAR = loadCalendar(PRODUCTION_CALENDAR);

/** The years the production calendar has, ascending. */
export const calendarYears = (): number[] => [...CALENDAR.keys()].sort((a, b) => a - b);

export function calendarYearMissing(year: number): AppError {
  return unprocessable(
    'calendar_year_missing',
    `В производственном календаре сервиса нет ${year} года, поэтому срок в рабочих днях не может быть рассчитан. ` +
      `Оператору: добавьте календарь ${year} года по постановлению Правительства РФ о переносе выходных дней (services/certificates/src/calendar/production-calendar.ts).`,
    { year },
  );
}

/** Weekends are non-working unless the decree moved a working day onto them; holidays are non-working. */
export function isWorkingDay(date: string, calendar: ReadonlyMap<number, LoadedYear> = CALENDAR): boolean {
  const year = Number(date.slice(0, 4));
  const known = calendar.get(year);
  if (!known) throw calendarYearMissing(year);
  if (isWeekend(date)) return known.workingWeekends.has(date);
  return !known.holidays.has(date);
}

/**
 * Start-up check: the service refuses to run in a year its calendar does not have (in the region's
 * time zone), since every 442-FZ deadline counted then would be wrong. Answers the next year when
 * it is missing too, for a warning (deadlines late in December reach into it).
 */
export function assertCalendarCovers(today: string, calendar: ReadonlyMap<number, LoadedYear> = CALENDAR): { nextYearMissing?: number } {
  const year = Number(today.slice(0, 4));
  if (!calendar.has(year)) {
    throw new Error(
      `The production calendar has no ${year} (today is ${today} in Moscow): add the year's holidays and transferred working days ` +
        `from the government's decree to services/certificates/src/calendar/production-calendar.ts.`,
    );
  }
  return calendar.has(year + 1) ? {} : { nextYearMissing: year + 1 };
}

export const isoDate = (d: Date) => iso(d).slice(0, 10);

/** The date `n` working days after `from` (442-FZ deadlines count working days from the day after). */
export function addWorkingDays(from: string, n: number, calendar: ReadonlyMap<number, LoadedYear> = CALENDAR): string {
  const d = new Date(`${from}T00:00:00Z`);
  let left = n;
  while (left > 0) {
    d.setUTCDate(d.getUTCDate() + 1);
    if (isWorkingDay(isoDate(d), calendar)) left--;
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
