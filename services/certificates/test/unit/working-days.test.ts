import { AppError } from '@esc/service-kit';
import { PRODUCTION_CALENDAR } from '../../src/calendar/production-calendar';
import { addWorkingDays, assertCalendarCovers, calendarYears, isWorkingDay, loadCalendar } from '../../src/domain/working-days';

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected a throw');
}

describe('The production calendar as data', () => {
  test('When the service loads, then it has every year from 2026 on without a gap', () => {
    const years = calendarYears();
    expect(years[0]).toBe(2026);
    years.forEach((y, i) => expect(y).toBe(2026 + i));
  });

  test('When a year is listed, then each of its dates is checked: a date of another year, an impossible date, a weekday "working weekend" or a day both off and on stop the load', () => {
    expect(() => loadCalendar({ 2030: { decree: 'x', holidays: ['2031-01-01'], workingWeekends: [] } })).toThrow('2031-01-01 is not a date of 2030');
    expect(() => loadCalendar({ 2030: { decree: 'x', holidays: ['2030-02-30'], workingWeekends: [] } })).toThrow('2030-02-30');
    expect(() => loadCalendar({ 2030: { decree: 'x', holidays: [], workingWeekends: ['2030-01-07'] } })).toThrow('is a weekday');
    expect(() => loadCalendar({ 2030: { decree: 'x', holidays: ['2030-01-05'], workingWeekends: ['2030-01-05'] } })).toThrow('both a holiday and a working day');
    expect(() => loadCalendar(PRODUCTION_CALENDAR)).not.toThrow();
  });
});

describe('Working days', () => {
  test('When a weekday is a holiday, then it is not a working day; an ordinary weekday is', () => {
    expect(isWorkingDay('2026-11-04')).toBe(false);
    expect(isWorkingDay('2027-03-08')).toBe(false);
    expect(isWorkingDay('2026-11-05')).toBe(true);
  });

  test('When a weekend is made a working day by the decree, then it counts, and other weekends do not', () => {
    // 2030-01-05 is a Saturday, 2030-01-06 a Sunday.
    const calendar = loadCalendar({ 2030: { decree: 'x', holidays: ['2030-01-07', '2030-01-08'], workingWeekends: ['2030-01-05'] } });
    expect(isWorkingDay('2030-01-05', calendar)).toBe(true);
    expect(isWorkingDay('2030-01-06', calendar)).toBe(false);
    // From Friday 4 Jan: Sat 5 (working) is day 1, Sun 6 off, 7–8 holidays, Wed 9 day 2.
    expect(addWorkingDays('2030-01-04', 2, calendar)).toBe('2030-01-09');
  });

  test('When a deadline reaches a year the calendar lacks, then it is refused with 422 calendar_year_missing naming the year, not counted as if every weekday worked', () => {
    const last = calendarYears().at(-1)!;
    const err = thrown(() => addWorkingDays(`${last}-12-28`, 10));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ kind: 'unprocessable', code: 'calendar_year_missing', extensions: { year: last + 1 } });
    expect((err as AppError).detail).toContain(`${last + 1} года`);
    expect((err as AppError).detail).toContain('постановлению Правительства');
  });

  test('When the deadline stays within known years, then it crosses the New Year holidays', () => {
    expect(addWorkingDays('2026-12-29', 10)).toBe('2027-01-21');
  });
});

describe('Start-up check', () => {
  test('When today is in a year the calendar has, then start-up goes on, warning when next year is missing', () => {
    const last = calendarYears().at(-1)!;
    expect(assertCalendarCovers(`${last - 1}-06-01`)).toEqual({});
    expect(assertCalendarCovers(`${last}-06-01`)).toEqual({ nextYearMissing: last + 1 });
  });

  test('When today is in a year the calendar lacks, then start-up fails naming the year and where to add it', () => {
    const missing = calendarYears().at(-1)! + 1;
    expect(() => assertCalendarCovers(`${missing}-01-10`)).toThrow(`The production calendar has no ${missing}`);
    expect(() => assertCalendarCovers(`${missing}-01-10`)).toThrow('production-calendar.ts');
  });
});
