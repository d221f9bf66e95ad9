import { expect, it } from 'vitest';
import { birthdaysOn, dayOf, daysToAnnounce } from './birthday.rule.ts';

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

it('counts days in UTC, or in the store’s time zone (T1)', () => {
  const at = new Date('2026-12-31T23:30:00-02:00');
  expect(dayOf(at)).toBe('2027-01-01');
  expect(dayOf(at, 'UTC')).toBe('2027-01-01');
  expect(dayOf(at, 'America/Sao_Paulo')).toBe('2026-12-31');
  expect(dayOf(new Date('2026-07-14T20:59:59Z'), 'Europe/Istanbul')).toBe('2026-07-14');
  expect(dayOf(new Date('2026-07-14T21:00:00Z'), 'Europe/Istanbul')).toBe('2026-07-15');
  expect(dayOf(new Date('2026-07-14T18:30:00Z'), 'Asia/Kolkata')).toBe('2026-07-15');
  expect(dayOf(at, 'Mars/Phobos')).toBe('2027-01-01');
});

it('announces each day after the last one announced, at most the latest few', () => {
  expect(daysToAnnounce(null, '2026-07-14', 3)).toEqual(['2026-07-14']);
  expect(daysToAnnounce('2026-07-14', '2026-07-14', 3)).toEqual([]);
  expect(daysToAnnounce('2026-07-15', '2026-07-14', 3)).toEqual([]);
  expect(daysToAnnounce('2026-07-13', '2026-07-14', 3)).toEqual(['2026-07-14']);
  expect(daysToAnnounce('2026-02-26', '2026-03-01', 3)).toEqual(['2026-02-27', '2026-02-28', '2026-03-01']);
  expect(daysToAnnounce('2025-12-01', '2026-01-01', 3)).toEqual(['2025-12-30', '2025-12-31', '2026-01-01']);
});
