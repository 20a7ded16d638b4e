import { unprocessable } from '@esc/service-kit';

export const PERIOD_PATTERN = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

export interface Period {
  key: string;
  year: number;
  month: number;
  /** First and last day, YYYY-MM-DD. */
  start: string;
  end: string;
}

export function parsePeriod(key: string): Period {
  if (!PERIOD_PATTERN.test(key)) throw unprocessable('invalid_period', `Период «${key}» указан неверно; нужен месяц в виде ГГГГ-ММ, например 2026-10.`);
  const year = Number(key.slice(0, 4));
  const month = Number(key.slice(5, 7));
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { key, year, month, start: `${key}-01`, end: `${key}-${String(last).padStart(2, '0')}` };
}

export function nextPeriod(key: string): string {
  const { year, month } = parsePeriod(key);
  return month === 12 ? `${year + 1}-01` : `${year}-${String(month + 1).padStart(2, '0')}`;
}

/** The month before the one `date` falls in, on the region's own calendar (the 1st at 03:00 in Ulyanovsk is still the 31st in UTC). */
export function previousPeriod(date: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit' }).formatToParts(date);
  const y = Number(parts.find((p) => p.type === 'year')!.value);
  const m = Number(parts.find((p) => p.type === 'month')!.value);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}
