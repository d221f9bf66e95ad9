import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import type { DomainEvent } from '@cg/events';
import { guestHandlers } from './guest.service.ts';

let graph: TestGraph;
let store: TestStore;
let serial = 0;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Guest store', { currency: 'EUR' });
});
afterAll(() => graph?.close());

/** A guest order; its number starts with GST, which the timeline summary shows. */
function guestOrder(guest: Record<string, unknown>, unitPrice: number, placedAt?: string) {
  serial += 1;
  const number = `GST${String(serial).padStart(7, '0')}`;
  return store.recordOrder({ number, guest, unitPrice, placedAt });
}

const GUESTS = /* GraphQL */ `
  query ($search: String, $converted: Boolean) {
    guests(search: $search, converted: $converted) {
      totalCount
      edges {
        node {
          id
          name
          email
          phone
          orderCount
          firstSeenAt
          lastSeenAt
          convertedAt
          convertedCustomer {
            id
          }
        }
      }
    }
  }
`;

describe('guests (C13) and their registration (C1)', () => {
  it('keeps one guest per contact, counting their orders', async () => {
    await guestOrder({ name: 'Gus Guest', email: 'gus@guest.example' }, 1000, '2026-01-01T10:00:00.000Z');
    await guestOrder(
      { name: 'Gus G.', email: 'GUS@guest.example', phone: '+44 20 7946 0999' },
      2000,
      '2026-02-01T10:00:00.000Z',
    );
    await eventually(async () => {
      const { guests } = await store.data(GUESTS, { search: 'gus' });
      expect(guests.totalCount).toBe(1);
      expect(guests.edges[0].node).toMatchObject({
        name: 'Gus G.',
        email: 'gus@guest.example',
        orderCount: 2,
        firstSeenAt: '2026-01-01T10:00:00.000Z',
        lastSeenAt: '2026-02-01T10:00:00.000Z',
        convertedAt: null,
      });
    });
  });

  it('moves a guest’s orders to the profile when they register with the same email', async () => {
    const first = await guestOrder({ name: 'Rita', email: 'rita@guest.example' }, 1500);
    const second = await guestOrder({ name: 'Rita', phone: '+44 20 7946 0123' }, 2500);
    await guestOrder({ name: 'Someone else', email: 'other@guest.example' }, 9900);
    // Known by her email on one order and by her phone on the other: two guests until she registers.
    await eventually(async () => expect((await store.data(GUESTS, { search: 'rita@' })).guests.totalCount).toBe(1));
    await eventually(async () =>
      expect((await store.data(GUESTS, { search: '+442079460123' })).guests.totalCount).toBe(1),
    );

    const id = (
      await store.createCustomer({
        firstName: 'Rita',
        lastName: 'Registered',
        email: 'Rita@guest.example',
        phone: '+44 20 7946 0123',
      })
    ).id;
    const DETAIL = `query($id: ID!) { customer(id: $id) {
      metrics { orderCount totalSpent { amount } }
      orders { totalCount edges { node { id } } }
      timeline(kinds: [ORDER]) { edges { node { summary order { id } } } } } }`;
    await eventually(async () => {
      const { customer } = await store.data(DETAIL, { id });
      expect(customer.orders.totalCount).toBe(2);
      expect(customer.orders.edges.map((edge: any) => edge.node.id).sort()).toEqual([first.id, second.id].sort());
      expect(customer.metrics).toEqual({ orderCount: 2, totalSpent: { amount: 4000 } });
      expect(customer.timeline.edges).toHaveLength(2);
      expect(customer.timeline.edges[0].node.summary).toMatch(/^Guest order GST/);
    });
    // Rita was known twice: by her email and by her phone; both became her.
    const { guests } = await store.data(GUESTS, { converted: true });
    expect(guests.edges.map((edge: any) => edge.node.convertedCustomer?.id)).toEqual([id, id]);
    expect((await store.data(GUESTS, { search: 'other' })).guests.edges[0].node.convertedAt).toBeNull();
  });

  it('converts a guest whose first order is applied while they register', async () => {
    // The order's event is applied in a transaction held open while the shopper registers: the
    // registration must wait for it, or each misses the other's row and the guest stays a guest.
    const placedAt = new Date().toISOString();
    const event: DomainEvent<'order.recorded'> = {
      id: randomUUID(),
      seq: 1,
      producer: 'commerce-history',
      type: 'order.recorded',
      storeId: store.id,
      customerId: null,
      occurredAt: placedAt,
      payload: {
        orderId: randomUUID(),
        number: 'GSTRACE001',
        status: 'PLACED',
        currency: 'EUR',
        total: 1000,
        discount: 0,
        units: 1,
        couponCodes: [],
        platform: null,
        channel: 'web',
        receiptNumber: null,
        placedAt,
        guest: { name: 'Rae', email: 'rae@guest.example', phone: null },
      },
    };
    const customerDb = graph.graph.subgraphs.customer.db;
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let applied!: () => void;
    const inserted = new Promise<void>((resolve) => (applied = resolve));
    const applying = customerDb.orm.transaction(async (tx) => {
      await guestHandlers['order.recorded']!(tx, event);
      applied();
      await released;
    });
    await inserted;
    let registered = false;
    const registering = store
      .createCustomer({ firstName: 'Rae', lastName: 'Registered', email: 'RAE@guest.example' })
      .finally(() => (registered = true));
    await eventually(async () => {
      if (registered) return;
      const [waiting] = await customerDb.sql`select count(*)::int as count from pg_stat_activity
        where wait_event_type = 'Lock' and wait_event = 'advisory' and datname = current_database()`;
      expect(waiting!.count).toBeGreaterThan(0);
    });
    release();
    await applying;
    const { id } = await registering;
    const { guests } = await store.data(GUESTS, { search: 'rae@' });
    expect(guests.edges.map((edge: any) => edge.node.convertedCustomer?.id)).toEqual([id]);
  });

  it('shows another store none of its guests', async () => {
    const other = await graph.createStore();
    expect((await other.data(GUESTS, {})).guests.totalCount).toBe(0);
  });
});
