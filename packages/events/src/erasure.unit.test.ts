import { describe, expect, it } from 'vitest';
import { MASKED_PERSONAL_KEYS, scrubEventPayload, scrubPersonalData } from './erasure.ts';

describe('scrubPersonalData', () => {
  it('nulls personal keys at any depth and keeps the shape and the rest', () => {
    const payload = {
      customerId: 'c1',
      firstName: 'Ada',
      email: 'ada@example.com',
      total: 1999,
      country: 'TR',
      items: [{ sku: 'A-1', note: 'gift wrap' }],
      address: { line1: 'Main street 1', city: 'Izmir', postalCode: '35000', country: 'TR' },
      guest: { name: 'Bob' },
    };
    expect(scrubPersonalData(payload)).toEqual({
      customerId: 'c1',
      firstName: null,
      email: null,
      total: 1999,
      country: 'TR',
      items: [{ sku: 'A-1', note: null }],
      address: { line1: null, city: null, postalCode: null, country: 'TR' },
      guest: null,
    });
    expect(payload.firstName).toBe('Ada');
  });

  it('scrubs every masked key and the keys derived from personal data', () => {
    const keys = [...Object.keys(MASKED_PERSONAL_KEYS), 'emailKey', 'nameKey', 'lastNameKey', 'ip', 'vipCard'];
    const scrubbed = scrubPersonalData(Object.fromEntries(keys.map((key) => [key, 'x'])));
    expect(scrubbed).toEqual(Object.fromEntries(keys.map((key) => [key, null])));
  });

  it('leaves scalars and arrays of scalars alone', () => {
    expect(scrubPersonalData('ada@example.com')).toBe('ada@example.com');
    expect(scrubPersonalData(null)).toBeNull();
    expect(scrubPersonalData([1, 'a'])).toEqual([1, 'a']);
  });
});

describe('scrubEventPayload', () => {
  const entry = (actorKind: string, actorId: string) => ({
    actorKind,
    actorId,
    ip: '203.0.113.9',
    action: 'customer.update',
    before: { email: 'ada@example.com', status: 'active' },
    after: { email: 'ada@example.org', status: 'active' },
  });

  it('keeps a staff member’s IP in an audit entry and scrubs the snapshots', () => {
    expect(scrubEventPayload('audit.recorded', entry('staff', 'staff-1'), 'c1')).toEqual({
      ...entry('staff', 'staff-1'),
      before: { email: null, status: 'active' },
      after: { email: null, status: 'active' },
    });
  });

  it('drops the erased customer’s own IP, not another customer’s', () => {
    expect(scrubEventPayload('audit.recorded', entry('customer', 'c1'), 'c1')).toMatchObject({ ip: null });
    expect(scrubEventPayload('audit.recorded', entry('customer', 'c2'), 'c1')).toMatchObject({ ip: '203.0.113.9' });
  });

  it('scrubs other events whole', () => {
    expect(
      scrubEventPayload('order.recorded', { ip: '203.0.113.9', guestEmail: 'g@example.com', total: 5 }, 'c1'),
    ).toEqual({ ip: null, guestEmail: null, total: 5 });
  });
});
