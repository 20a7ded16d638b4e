/**
 * The Russian production calendar as data: for each year, the non-working holidays (Labour Code
 * art. 112 with the government's transfer decree for that year) and the weekend days the decree makes
 * working days. Weekends not listed are non-working. The service refuses to start in a year missing
 * here and refuses (422 calendar_year_missing) a deadline that reaches one, so add each year's
 * decree when it is published (usually in the autumn before). Checked once when loaded
 * (domain/working-days.ts): a date outside its year, a holiday on a transferred working day, or a
 * "working weekend" that is not a Saturday or Sunday stops the service at start-up.
 */
export interface CalendarYear {
  /** The decree the transfers come from. */
  decree: string;
  /** Non-working days besides ordinary weekends (ISO dates, all within the year). */
  holidays: readonly string[];
  /** Saturdays or Sundays made working days by the decree. */
  workingWeekends: readonly string[];
}

export const PRODUCTION_CALENDAR: Readonly<Record<number, CalendarYear>> = {
  2026: {
    decree: 'Постановление Правительства РФ о переносе выходных дней в 2026 году',
    holidays: [
      '2026-01-01', '2026-01-02', '2026-01-05', '2026-01-06', '2026-01-07', '2026-01-08', '2026-01-09',
      '2026-02-23', '2026-03-09', '2026-05-01', '2026-05-11', '2026-06-12', '2026-11-04', '2026-12-31',
    ],
    workingWeekends: [],
  },
  2027: {
    decree: 'Постановление Правительства РФ о переносе выходных дней в 2027 году',
    holidays: [
      '2027-01-01', '2027-01-04', '2027-01-05', '2027-01-06', '2027-01-07', '2027-01-08',
      '2027-02-23', '2027-03-08', '2027-05-03', '2027-05-10', '2027-06-14', '2027-11-04', '2027-12-31',
    ],
    workingWeekends: [],
  },
};
