/** A month and a day of the month, as `extract()` gives them from a birth date. */
export interface MonthDay {
  month: number;
  day: number;
}

const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

/**
 * The birth dates (month and day) celebrated on `date` (YYYY-MM-DD, a calendar day in UTC): its
 * own, and on 28 February of a year without a 29th, also the 29th's, so that everyone has a
 * birthday every year.
 */
export function birthdaysOn(date: string): MonthDay[] {
  const [year, month, day] = date.split('-').map(Number) as [number, number, number];
  const days: MonthDay[] = [{ month, day }];
  if (month === 2 && day === 28 && !isLeapYear(year)) days.push({ month: 2, day: 29 });
  return days;
}

/** The UTC calendar day of `at`, YYYY-MM-DD. */
export const dayOf = (at: Date): string => at.toISOString().slice(0, 10);
