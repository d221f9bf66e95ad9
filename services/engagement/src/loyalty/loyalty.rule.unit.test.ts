import { expect, it } from 'vitest';
import { pointsEarned, shareOf, unitsGone } from './loyalty.rule.ts';

it('earns floor(amount × points ÷ perMinorUnits) once per order, and nothing on a zero or negative total', () => {
  expect(pointsEarned(1999, { points: 1, perMinorUnits: 100 })).toBe(19);
  expect(pointsEarned(1999, { points: 3, perMinorUnits: 200 })).toBe(29);
  expect(pointsEarned(0, { points: 1, perMinorUnits: 1 })).toBe(0);
  expect(pointsEarned(-500, { points: 1, perMinorUnits: 1 })).toBe(0);
  // Past 2^53 in the product, still exact.
  expect(pointsEarned(2 ** 50, { points: 1000, perMinorUnits: 1000 })).toBe(2 ** 50);
});

it('reverses shares that never add up to more than was earned, the last unit taking the remainder', () => {
  const earned = 10;
  const cumulative = [1, 2, 3].map((returned) => shareOf(earned, returned, 3));
  expect(cumulative).toEqual([3, 6, 10]);
  expect(shareOf(earned, 0, 3)).toBe(0);
  expect(shareOf(earned, 5, 3)).toBe(10);
  expect(shareOf(7, 1, 0)).toBe(7);
});

it('shares the points among the units the order earned on, cancelled ones before earning left out', () => {
  // Earned on 4 units: 1 returned and 2 cancelled since are 3 of 4 gone.
  expect(unitsGone({ units: 4 }, { returnedUnits: 1, cancelledUnits: 2 })).toEqual({ units: 3, orderUnits: 4 });
  // 1 of 5 was cancelled before earning: its points belong to the other 4, and it is not gone again.
  expect(unitsGone({ units: 5, cancelledUnits: 1 }, { returnedUnits: 0, cancelledUnits: 1 })).toEqual({
    units: 0,
    orderUnits: 4,
  });
  expect(unitsGone({ units: 5, cancelledUnits: 1 }, { returnedUnits: 2, cancelledUnits: 3 })).toEqual({
    units: 4,
    orderUnits: 4,
  });
});
