import { expect, it } from 'vitest';
import { tierAfter, tierReached } from './loyalty-tier.standing.ts';

const ladder = [
  { id: 'b', name: 'Bronze', threshold: 0 },
  { id: 's', name: 'Silver', threshold: 100 },
  { id: 'g', name: 'Gold', threshold: 500 },
];

it('reaches the highest tier whose threshold the value meets', () => {
  expect(tierReached(ladder, 0)?.name).toBe('Bronze');
  expect(tierReached(ladder, 99)?.name).toBe('Bronze');
  expect(tierReached(ladder, 100)?.name).toBe('Silver');
  expect(tierReached(ladder, 10_000)?.name).toBe('Gold');
  expect(tierReached(ladder.slice(1), 50)).toBeUndefined();
  expect(tierReached([], 50)).toBeUndefined();
});

it('names the tier above, the lowest before any, none at the top', () => {
  expect(tierAfter(ladder, undefined)?.name).toBe('Bronze');
  expect(tierAfter(ladder, ladder[0])?.name).toBe('Silver');
  expect(tierAfter(ladder, ladder[2])).toBeUndefined();
});
