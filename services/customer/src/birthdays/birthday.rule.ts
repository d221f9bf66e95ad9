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

/**
 * The calendar day of `at` in `timeZone` (an IANA name, the store's: T1), YYYY-MM-DD. A zone the
 * runtime no longer knows counts as UTC rather than stopping every store's birthdays.
 */
export function dayOf(at: Date, timeZone = 'UTC'): string {
  try {
    // en-CA writes dates as YYYY-MM-DD.
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
  } catch {
    return at.toISOString().slice(0, 10);
  }
}

/**
 * The days after `last` up to `today` (both YYYY-MM-DD), oldest first, at most the `max` latest:
 * what a store still has to announce. Nothing when `today` is not after `last`; only `today` when
 * nothing was announced yet.
 */
export function daysToAnnounce(last: string | null, today: string, max: number): string[] {
  if (last === null) return [today];
  const days: string[] = [];
  for (let day = today; day > last && days.length < max; day = previousDay(day)) days.unshift(day);
  return days;
}

const previousDay = (day: string): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
