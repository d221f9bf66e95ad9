import { afterEach, describe, expect, it, vi } from 'vitest';
import { auditChanges, auditSnapshot, auditTrail, type AuditActor } from './audit.ts';

afterEach(() => {
  vi.useRealTimers();
});

describe('auditSnapshot', () => {
  it('is the value as JSON carries it: dates as ISO strings, no undefined', () => {
    const row = {
      id: 'c1',
      createdAt: new Date('2026-01-02T03:04:05.000Z'),
      notes: undefined,
      tags: ['vip'],
      vip: null,
    };
    expect(auditSnapshot(row)).toEqual({ id: 'c1', createdAt: '2026-01-02T03:04:05.000Z', tags: ['vip'], vip: null });
    expect(Object.keys(auditSnapshot(row)!)).not.toContain('notes');
  });

  it('leaves out the omitted keys, and is null for no value', () => {
    expect(auditSnapshot({ id: 'c1', passwordHash: 'x', emailKey: 'a' }, ['passwordHash', 'emailKey'])).toEqual({
      id: 'c1',
    });
    expect(auditSnapshot(null)).toBeNull();
    expect(auditSnapshot(undefined)).toBeNull();
  });

  it('is a copy', () => {
    const row = { address: { city: 'Izmir' } };
    const snapshot = auditSnapshot(row)!;
    (snapshot.address as { city: string }).city = 'Ankara';
    expect(row.address.city).toBe('Izmir');
  });
});

describe('auditChanges', () => {
  it('keeps only the fields that differ, on both sides', () => {
    const before = { id: 'c1', firstName: 'Ada', tags: ['a'], status: 'active' };
    const after = { id: 'c1', firstName: 'Ada', tags: ['a', 'b'], status: 'blocked' };
    expect(auditChanges(before, after)).toEqual({
      before: { tags: ['a'], status: 'active' },
      after: { tags: ['a', 'b'], status: 'blocked' },
    });
  });

  it('treats an absent field as null, and compares dates by value', () => {
    const at = (iso: string) => new Date(iso);
    expect(
      auditChanges(
        { notes: null, birthDate: at('1990-01-01T00:00:00Z'), city: 'Izmir' },
        { birthDate: at('1990-01-01T00:00:00Z'), phone: '+90532' },
      ),
    ).toEqual({ before: { city: 'Izmir', phone: null }, after: { city: null, phone: '+90532' } });
  });

  it('never compares updatedAt or the omitted fields', () => {
    expect(
      auditChanges(
        { updatedAt: new Date(1), version: 1, name: 'a' },
        { updatedAt: new Date(2), version: 2, name: 'a' },
        ['version'],
      ),
    ).toEqual({ before: {}, after: {} });
  });
});

describe('auditTrail', () => {
  // The outbox is only written by `record`; `event` builds the entry alone.
  const auditEvent = auditTrail('customer', null as never).event;
  const change = {
    action: 'customer.update',
    entityType: 'Customer',
    entityId: 'c1',
    before: { status: 'active' },
    after: { status: 'blocked' },
  };
  const staff: AuditActor = { principal: { kind: 'staff', userId: 'staff-1', storeId: 'home' }, storeId: 'shared' };

  it('is an audit.recorded event of the request’s store, listed under the customer', () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T08:00:00Z'), toFake: ['Date'] });
    expect(auditEvent({ ...staff, ip: '203.0.113.9' }, { ...change, customerId: 'c1' })).toEqual({
      type: 'audit.recorded',
      storeId: 'shared',
      customerId: 'c1',
      payload: {
        actorKind: 'staff',
        actorId: 'staff-1',
        ip: '203.0.113.9',
        action: 'customer.update',
        subgraph: 'customer',
        entityType: 'Customer',
        entityId: 'c1',
        before: { status: 'active' },
        after: { status: 'blocked' },
        occurredAt: '2026-05-01T08:00:00.000Z',
      },
    });
  });

  it('falls back to the token’s store, has no customer unless told, and no IP unless known', () => {
    const customer: AuditActor = { principal: { kind: 'customer', userId: 'c1', storeId: 'home' } };
    const event = auditEvent(customer, change);
    expect(event).toMatchObject({ storeId: 'home', customerId: null, payload: { actorKind: 'customer', ip: null } });
    expect(auditEvent({ ...customer, ip: '' }, change).payload.ip).toBeNull();
  });

  it('writes IPv4-mapped IPv6 addresses as IPv4', () => {
    expect(auditEvent({ ...staff, ip: '::ffff:192.0.2.7' }, change).payload.ip).toBe('192.0.2.7');
    expect(auditEvent({ ...staff, ip: '::FFFF:192.0.2.7' }, change).payload.ip).toBe('192.0.2.7');
    expect(auditEvent({ ...staff, ip: '2001:db8::1' }, change).payload.ip).toBe('2001:db8::1');
  });

  it('refuses a guest', () => {
    const guest: AuditActor = { principal: { kind: 'guest', userId: 'session', storeId: 'home' } };
    expect(() => auditEvent(guest, change)).toThrow('A guest cannot customer.update');
  });
});
