import { describe, expect, it } from 'vitest';
import { isTimeZone } from './store.time-zone.ts';

describe('isTimeZone (T1)', () => {
  it.each([
    'UTC',
    'Europe/Istanbul',
    'America/New_York',
    'America/Argentina/Buenos_Aires',
    'Asia/Kolkata',
    'Europe/Kyiv',
  ])('takes %s', (name) => expect(isTimeZone(name)).toBe(true));
  it.each([
    '',
    'utc',
    'europe/istanbul',
    'Europe/ISTANBUL',
    'Mars/Phobos',
    'EST',
    'GMT',
    'US/Eastern',
    '+03:00',
    'Etc/GMT+3',
    'Europe/Istanbul ',
  ])('refuses %j', (name) => expect(isTimeZone(name)).toBe(false));
});
