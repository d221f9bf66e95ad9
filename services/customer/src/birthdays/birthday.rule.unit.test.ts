import { expect, it } from 'vitest';
import { birthdaysOn, dayOf } from './birthday.rule.ts';

it("celebrates a day's own birth dates, and the 29th of February on the 28th in a year without it", () => {
  expect(birthdaysOn('2026-07-14')).toEqual([{ month: 7, day: 14 }]);
  expect(birthdaysOn('2027-02-28')).toEqual([
    { month: 2, day: 28 },
    { month: 2, day: 29 },
  ]);
  expect(birthdaysOn('2028-02-28')).toEqual([{ month: 2, day: 28 }]);
  expect(birthdaysOn('2028-02-29')).toEqual([{ month: 2, day: 29 }]);
  expect(birthdaysOn('2100-02-28')).toHaveLength(2);
  expect(birthdaysOn('2000-02-28')).toHaveLength(1);
});

it('counts days in UTC', () => {
  expect(dayOf(new Date('2026-12-31T23:30:00-02:00'))).toBe('2027-01-01');
});
