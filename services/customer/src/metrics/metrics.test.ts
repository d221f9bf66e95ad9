import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent } from '@cg/events';
import { daysAgo, eventually, outboxEvents, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { customerSubgraph } from '../index.ts';

let graph: TestGraph;
let store: TestStore;
let seq = 0;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Projection store', { currency: 'EUR' });
  await store.createCoupon({ code: 'SPRING', discountType: 'PERCENTAGE', amount: 1000, currency: null });
});
afterAll(() => graph?.close());

const newCustomer = async (name: string) => (await store.createCustomer({ firstName: name })).id;

/** Two units at `unitPrice`; the number starts with PRJ, which the feedback summaries show. */
function recordOrder(customerId: string, unitPrice: number, extra: Record<string, unknown> = {}) {
  seq += 1;
  return store.recordOrder({
    customerId,
    number: `PRJ${String(seq).padStart(7, '0')}`,
    unitPrice,
    quantity: 2,
    ...extra,
  });
}

const FEEDBACK_TIMELINE = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      timeline(kinds: [FEEDBACK]) {
        edges {
          node {
            kind
            summary
            actor
            data
            order {
              id
            }
          }
        }
      }
    }
  }
`;

const METRICS = /* GraphQL */ `
  query ($id: ID!) {
    customer(id: $id) {
      metrics {
        orderCount
        totalSpent {
          amount
          currency
        }
        averageOrderValue {
          amount
          currency
        }
        units
        returnedUnits
        negativeFeedback
        promoCodeOrders
        discountReceived {
          amount
        }
        lastOrderAt
        walletBalance {
          amount
          currency
        }
      }
    }
  }
`;

async function metricsOf(id: string) {
  return (await store.data(METRICS, { id })).customer.metrics;
}

async function topBySpend(): Promise<string[]> {
  const { customers } = await store.data(
    `{ customers(first: 10, sort: { field: TOTAL_SPENT, direction: DESC }) { edges { node { id metrics { totalSpent { amount } } } } } }`,
  );
  return customers.edges.map((edge: any) => edge.node.id);
}

describe('the metrics projection', () => {
  it('counts only coupon discounts as discount received, and takes them back with a cancellation (O8)', async () => {
    const id = await newCustomer('Couponer');
    const { id: orderId } = await recordOrder(id, 5000, { couponCodes: ['spring'], discount: 1500 });
    await recordOrder(id, 1000, { discount: 300 });
    await eventually(async () =>
      expect(await metricsOf(id)).toMatchObject({
        orderCount: 2,
        promoCodeOrders: 1,
        discountReceived: { amount: 1000 },
      }),
    );
    await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED) { id } }`, { id: orderId });
    await eventually(async () =>
      expect(await metricsOf(id)).toMatchObject({ orderCount: 1, promoCodeOrders: 0, discountReceived: { amount: 0 } }),
    );
  });

  it('moves a customer up the list sorted by total spent when an order is recorded', async () => {
    const small = await newCustomer('Small');
    const big = await newCustomer('Big');
    await recordOrder(small, 1000);
    await eventually(async () => expect((await metricsOf(small)).orderCount).toBe(1));
    expect((await topBySpend())[0]).toBe(small);

    // SPRING takes 10 % (10.00); the other 5.00 of the discount is no coupon's (O8).
    await recordOrder(big, 5000, { couponCodes: ['SPRING'], discount: 1500 });
    await eventually(async () => expect((await topBySpend())[0]).toBe(big));
    expect(await metricsOf(big)).toMatchObject({
      orderCount: 1,
      totalSpent: { amount: 8500, currency: 'EUR' },
      units: 2,
      promoCodeOrders: 1,
      discountReceived: { amount: 1000 },
    });
  });

  it('takes a cancelled order back out and counts a return', async () => {
    const id = await newCustomer('Returner');
    const kept = await recordOrder(id, 1500);
    const cancelled = await recordOrder(id, 2500);
    await eventually(async () => expect((await metricsOf(id)).orderCount).toBe(2));
    await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED) { id } }`, {
      id: cancelled.id,
    });
    await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: RETURNED) { id } }`, { id: kept.id });
    await eventually(async () =>
      expect(await metricsOf(id)).toMatchObject({
        orderCount: 0,
        totalSpent: null,
        averageOrderValue: null,
        units: 0,
        returnedUnits: 2,
      }),
    );
  });

  it('has no total spent nor average order value without an order that counts', async () => {
    const id = await newCustomer('Drafter');
    expect(await metricsOf(id)).toMatchObject({ orderCount: 0, totalSpent: null, averageOrderValue: null });
    await recordOrder(id, 1500, { status: 'DRAFT' });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
    expect(await metricsOf(id)).toMatchObject({ orderCount: 0, totalSpent: null, averageOrderValue: null });
    await recordOrder(id, 1000);
    await recordOrder(id, 2001);
    await eventually(async () =>
      expect(await metricsOf(id)).toMatchObject({
        orderCount: 2,
        totalSpent: { amount: 6002, currency: 'EUR' },
        averageOrderValue: { amount: 3001, currency: 'EUR' },
      }),
    );
  });

  it('dates the last order, its sort, the 30-day activity and the segments by the orders that count', async () => {
    const shop = await graph.createStore('Last order store', { currency: 'EUR' });
    const customer = async (firstName: string) => (await shop.createCustomer({ firstName })).id;
    const order = (customerId: string, days: number, status?: string) =>
      shop.recordOrder({ customerId, placedAt: daysAgo(days), ...(status ? { status } : {}) });
    const lapsed = await customer('Lapsed');
    const recent = await customer('Recent');
    const drafter = await customer('Drafter');
    await order(lapsed, 40);
    for (const status of ['DRAFT', 'CANCELLED', 'EXPIRED', 'RETURNED']) await order(lapsed, 1, status);
    await order(recent, 5);
    const later = await order(recent, 2);
    await order(drafter, 1, 'DRAFT');
    await shop.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED) { id } }`, { id: later.id });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));

    const { segment } = await shop.data(
      `mutation { segment: createSegment(input: { name: "Recent", rules: [{ kind: LAST_ORDER, withinDays: 30 }] }) { id } }`,
    );
    const read = await shop.data(
      `query($segment: ID!) {
        customers(sort: { field: LAST_ORDER_AT, direction: DESC }) { edges { node { id metrics { firstOrderAt lastOrderAt } } } }
        customerStatistics { activeLast30Days }
        segment(id: $segment) { members { edges { node { id } } } }
        never: customers(filter: { lastOrderTo: "${daysAgo(30)}" }) { edges { node { id } } }
      }`,
      { segment: segment.id },
    );
    const dates = Object.fromEntries(
      read.customers.edges.map((edge: any) => [edge.node.id, edge.node.metrics.lastOrderAt]),
    );
    const day = (iso: string | null) => iso?.slice(0, 10) ?? null;
    expect(day(dates[lapsed])).toBe(daysAgo(40).slice(0, 10));
    expect(day(dates[recent])).toBe(daysAgo(5).slice(0, 10));
    expect(dates[drafter]).toBeNull();
    expect(read.customers.edges.map((edge: any) => edge.node.id)).toEqual([recent, lapsed, drafter]);
    expect(read.customerStatistics.activeLast30Days).toBe(1);
    expect(read.segment.members.edges.map((edge: any) => edge.node.id)).toEqual([recent]);
    expect(read.never.edges.map((edge: any) => edge.node.id)).toEqual([lapsed]);
    const first = read.customers.edges.find((edge: any) => edge.node.id === lapsed).node.metrics.firstOrderAt;
    expect(day(first)).toBe(daysAgo(40).slice(0, 10));

    // An order that counts again brings its date back.
    await shop.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: NEW) { id } }`, { id: later.id });
    await eventually(async () => {
      const { customer: found } = await shop.data(`query($id: ID!) { customer(id: $id) { metrics { lastOrderAt } } }`, {
        id: recent,
      });
      expect(day(found.metrics.lastOrderAt)).toBe(daysAgo(2).slice(0, 10));
    });
  });

  it('follows the wallet balance', async () => {
    const id = await newCustomer('Saver');
    await store.data(
      `mutation($id: ID!) {
        a: adjustWallet(input: { customerId: $id, amount: 4000, currency: "EUR", reason: "Gift" }) { entry { id } }
        b: adjustWallet(input: { customerId: $id, amount: -1500, currency: "EUR", reason: "Spent" }) { entry { id } }
      }`,
      { id },
    );
    await eventually(async () =>
      expect((await metricsOf(id)).walletBalance).toEqual({ amount: 2500, currency: 'EUR' }),
    );
  });

  it('counts negative feedback (rated 2 or lower) and shows every feedback in the timeline', async () => {
    const id = await newCustomer('Critic');
    const first = await recordOrder(id, 1000);
    const second = await recordOrder(id, 1000);
    const third = await recordOrder(id, 1000);
    await store.recordFeedback(first.id, 1, 'Arrived broken');
    await store.recordFeedback(second.id, 2);
    await store.recordFeedback(third.id, 5);
    await eventually(async () => expect((await metricsOf(id)).negativeFeedback).toBe(2));
    const entries = await eventually(async () => {
      const { customer } = await store.data(FEEDBACK_TIMELINE, { id });
      expect(customer.timeline.edges).toHaveLength(3);
      return customer.timeline.edges.map((edge: any) => edge.node);
    });
    expect(entries.map((entry: any) => entry.summary).sort()).toEqual([
      expect.stringMatching(/^Feedback on order PRJ\d{7}: 5\/5$/),
      expect.stringMatching(/^Negative feedback on order PRJ\d{7}: 1\/5$/),
      expect.stringMatching(/^Negative feedback on order PRJ\d{7}: 2\/5$/),
    ]);
    const broken = entries.find((entry: any) => entry.order.id === first.id);
    expect(broken.data).toMatchObject({ rating: 1, negative: true, comment: 'Arrived broken', source: 'staff' });
    expect(broken.actor).toEqual(expect.any(String));
  });

  it('adds a partial return’s units, and a later RETURNED status adds only the rest', async () => {
    const id = await newCustomer('Partial');
    const order = await recordOrder(id, 1000, {
      items: [{ productId: 'p', name: 'Product', quantity: 5, unitPrice: 1000 }],
    });
    await store.completeReturn(order.id, 2);
    await eventually(async () =>
      expect(await metricsOf(id)).toMatchObject({ orderCount: 1, units: 5, returnedUnits: 2 }),
    );
    await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: RETURNED) { id } }`, { id: order.id });
    await eventually(async () =>
      expect(await metricsOf(id)).toMatchObject({ orderCount: 0, units: 0, returnedUnits: 5 }),
    );
    // Back to delivered (the platform corrected itself): the partial return is what remains.
    await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: DELIVERED) { id } }`, { id: order.id });
    await eventually(async () =>
      expect(await metricsOf(id)).toMatchObject({ orderCount: 1, units: 5, returnedUnits: 2 }),
    );
    const { customer } = await store.data(
      `query($id: ID!) { customer(id: $id) { timeline(kinds: [RETURN]) { edges { node { summary } } } } }`,
      { id },
    );
    expect(customer.timeline.edges.map((edge: any) => edge.node.summary)).toEqual([
      expect.stringMatching(/: 2 units returned \(2 of 5 so far\)$/),
    ]);
  });

  it('counts returns that add up to the whole order once, and the order becomes RETURNED', async () => {
    const id = await newCustomer('Stepwise');
    const order = await recordOrder(id, 1000, {
      items: [{ productId: 'p', name: 'Product', quantity: 3, unitPrice: 1000 }],
    });
    await store.completeReturn(order.id, 1);
    await store.completeReturn(order.id, null);
    await eventually(async () =>
      expect(await metricsOf(id)).toMatchObject({ orderCount: 0, units: 0, returnedUnits: 3 }),
    );
    expect((await store.data(`query($id: ID!) { order(id: $id) { status } }`, { id: order.id })).order.status).toBe(
      'RETURNED',
    );
  });

  it('applies the same event twice with no further effect', async () => {
    const id = await newCustomer('Twice');
    const order = await recordOrder(id, 700);
    await store.completeReturn(order.id, 1);
    await store.recordFeedback(order.id, 1);
    await eventually(async () =>
      expect(await metricsOf(id)).toMatchObject({ orderCount: 1, returnedUnits: 1, negativeFeedback: 1 }),
    );
    const timeline = async () =>
      (await store.data(`query($id: ID!) { customer(id: $id) { timeline { totalCount } } }`, { id })).customer.timeline
        .totalCount;
    const entries = await timeline();
    const events = await outboxEvents(graph, 'commerce-history', {
      type: ['order.recorded', 'order.return_recorded', 'order.feedback_recorded'],
      customerId: id,
    });
    expect(events.map((event) => event.type)).toEqual([
      'order.recorded',
      'order.return_recorded',
      'order.feedback_recorded',
    ]);
    const customerDb = graph.graph.subgraphs.customer.db;
    for (const event of events) {
      expect(await applyEvent(customerDb, customerSubgraph.events!.consumer!, event)).toBe(false);
      expect(await applyEvent(customerDb, customerSubgraph.events!.consumer!, event)).toBe(false);
    }
    expect(await metricsOf(id)).toMatchObject({ orderCount: 1, returnedUnits: 1, negativeFeedback: 1 });
    expect(await timeline()).toBe(entries);
  });

  it('loses nothing when the delivering process stops between the commit and the delivery', async () => {
    const id = await newCustomer('Patient');
    const relay = graph.graph.subgraphs['commerce-history']!.delivery!;
    await relay.stop();
    try {
      await recordOrder(id, 900);
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect((await metricsOf(id)).orderCount).toBe(0);
    } finally {
      await relay.start();
    }
    await eventually(async () => expect((await metricsOf(id)).totalSpent).toEqual({ amount: 1800, currency: 'EUR' }));
  });
});

describe('the customer list filtered by SKU (O6)', () => {
  const BOUGHT = /* GraphQL */ `
    query ($skus: [String!], $first: Int, $after: String) {
      customers(filter: { skus: $skus }, first: $first, after: $after, sort: { field: NAME }) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            firstName
          }
        }
      }
    }
  `;
  const lines = (...skus: (string | null)[]) =>
    skus.map((sku, index) => ({ productId: `p${index}`, sku, name: `Product ${index}`, quantity: 1, unitPrice: 700 }));
  const order = (customerId: string, items: ReturnType<typeof lines>, extra: Record<string, unknown> = {}) =>
    recordOrder(customerId, 0, { items, ...extra });

  async function buyers(skus: string[], first = 2) {
    const names: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { customers }: { customers: any } = await store.data(BOUGHT, { skus, first, after });
      names.push(...customers.edges.map((edge: any) => edge.node.firstName));
      if (!customers.pageInfo.hasNextPage) return { names, total: customers.totalCount as number };
      after = customers.pageInfo.endCursor;
    }
  }

  it('lists the customers with a purchase of any of the SKUs, guests who registered included', async () => {
    const anna = await newCustomer('SkuAnna');
    const bora = await newCustomer('SkuBora');
    const cem = await newCustomer('SkuCem');
    await order(anna, lines('SKU-RED', 'SKU-RED', null));
    await order(bora, lines('SKU-BLUE'));
    const cancelled = await order(cem, lines('SKU-RED'));
    await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED) { id } }`, {
      id: cancelled.id,
    });
    seq += 1;
    await store.recordOrder({
      number: `PRJ${String(seq).padStart(7, '0')}`,
      guest: { name: 'Guest', email: 'sku-guest@test.example' },
      items: lines('SKU-GREEN'),
    });
    await store.createCustomer({ firstName: 'SkuDeniz', email: 'sku-guest@test.example' });

    await eventually(async () => expect(await buyers(['SKU-GREEN'])).toEqual({ names: ['SkuDeniz'], total: 1 }));
    await eventually(async () => expect((await metricsOf(cem)).orderCount).toBe(0));
    expect(await buyers(['SKU-RED'])).toEqual({ names: ['SkuAnna'], total: 1 });
    const three = await buyers(['SKU-RED', 'SKU-BLUE', 'SKU-GREEN'], 1);
    expect({ names: three.names.sort(), total: three.total }).toEqual({
      names: ['SkuAnna', 'SkuBora', 'SkuDeniz'],
      total: 3,
    });
    expect(await buyers(['sku-red'])).toEqual({ names: [], total: 0 });
    expect(await buyers(['SKU-NONE'])).toEqual({ names: [], total: 0 });

    // The cancellation undone: the order counts again, and so does its SKU.
    await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: DELIVERED) { id } }`, {
      id: cancelled.id,
    });
    await eventually(async () => expect((await buyers(['SKU-RED'])).names.sort()).toEqual(['SkuAnna', 'SkuCem']));
  });

  it.each([
    [Array.from({ length: 21 }, (_, index) => `SKU-${index}`), 'at most 20 SKUs'],
    [[' '], 'must not be empty'],
  ])('rejects %j with BAD_USER_INPUT naming filter.skus', async (skus, message) => {
    const response = await store.request(BOUGHT, { skus });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
    expect(JSON.stringify(response.errors?.[0]?.extensions)).toContain('filter.skus');
    expect(response.errors?.[0]?.message).toContain(message);
  });
});
