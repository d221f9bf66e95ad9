import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { checkMetrics, rebuildMetrics, type MetricsDatabases } from '../events/metrics.ts';

let graph: TestGraph;
let store: TestStore;
let dbs: MetricsDatabases;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Rebuild store', { currency: 'EUR' });
  const subgraphs = graph.graph.subgraphs;
  dbs = {
    customer: subgraphs.customer.db,
    'commerce-history': subgraphs['commerce-history']!.db,
    engagement: subgraphs.engagement!.db,
  };
});
afterAll(() => graph?.close());

const snapshot = () =>
  graph.graph.subgraphs.customer.db.sql`
    select customer_id, order_count, total_spent, units, returned_units, negative_feedback, discount_received, promo_code_orders,
      first_order_at, last_order_at, currency, wallet_balance, wallet_currency, loyalty_points, loyalty_pending_points,
      loyalty_event_seq, loyalty_tier
    from customer.customer_metrics order by customer_id`;

/** What the rest of the customer consumer keeps from the same events: a rebuild must not add to it. */
const otherConsumers = () =>
  graph.graph.subgraphs.customer.db.sql`
    select (select count(*) from customer.timeline_entries)::int as timeline,
      (select coalesce(sum(order_count), 0) from customer.guests)::int as guest_orders,
      (select count(*) from customer.audit_entries)::int as audit`;

it('rebuilds exactly the projection that live delivery produced, and it matches the sources', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 6; i += 1) {
    ids.push((await store.createCustomer({ firstName: `Re${i}`, lastName: 'Build' })).id);
  }
  // O8: the discount received is the coupons' part of the orders' discounts only.
  await store.createCoupon({ code: 'TEN', amount: 5 });
  // E4: the orders earn pending points, which their returns and cancellations take back.
  await store.data(
    `mutation { updateLoyaltyProgram(input: { enabled: true, rate: { points: 1, perMinorUnits: 100 }, pendingDays: 14, signUpBonus: 0 }) { enabled } }`,
  );
  // E3: the points the orders earn place their customers on different tiers.
  await store.data(
    `mutation { updateLoyaltyTiers(input: { basis: POINTS_EARNED, tiers: [{ name: "Bronze", threshold: 0 }, { name: "Silver", threshold: 30 }, { name: "Gold", threshold: 200 }] }) { basis } }`,
  );
  for (const [i, id] of ids.entries()) {
    for (let k = 0; k <= i; k += 1) {
      const { id: orderId } = await store.recordOrder({
        customerId: id,
        items: [{ productId: 'p', name: 'P', quantity: 1 + k, unitPrice: 1000 + 100 * i, discount: k * 10 }],
        couponCodes: k % 2 ? ['TEN'] : [],
      });
      if (k === 1)
        await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: RETURNED) { id } }`, { id: orderId });
      // A partial return, then (for one in two) the rest of the order back by its status.
      if (k === 2) await store.completeReturn(orderId, 1);
      if (k === 3) {
        await store.completeReturn(orderId, 2);
        if (i % 2)
          await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: RETURNED) { id } }`, {
            id: orderId,
          });
      }
      if (k === 4) await store.completeReturn(orderId, null);
      // Partial cancellations (O4): 2 of 6 units, then the rest, which cancels the order; and one
      // after a partial return, which the order survives.
      if (k === 5) {
        await store.completeCancellation(orderId, 2);
        await store.completeCancellation(orderId, null);
      }
      if (k === 2 && i >= 4) await store.completeCancellation(orderId, 1);
      if (k % 2 === 0) await store.recordFeedback(orderId, 1 + ((i + k) % 5));
    }
    await store.data(
      `mutation($id: ID!, $amount: Int!) { adjustWallet(input: { customerId: $id, amount: $amount, currency: "EUR", reason: "r" }) { entry { id } } }`,
      { id, amount: 500 * (i + 1) },
    );
    // Spendable points for two customers in three, taken back in part for one of them.
    if (i % 3 !== 2) {
      const adjust = `mutation($id: ID!, $points: Int!) { adjustLoyaltyPoints(input: { customerId: $id, points: $points, reason: "r" }) { entry { id } } }`;
      await store.data(adjust, { id, points: 100 * (i + 1) });
      if (i === 1) await store.data(adjust, { id, points: -50 });
    }
  }
  // A guest's order with a partial return, a partial cancellation (of 700 of its 2100) and negative
  // feedback, then the guest registers: the linked order brings them along.
  const guestOrder = await store.recordOrder({
    guest: { name: 'Late Joiner', email: 'late@example.com' },
    quantity: 3,
    unitPrice: 700,
  });
  await store.completeReturn(guestOrder.id, 1);
  await store.completeCancellation(guestOrder.id, 1);
  await store.recordFeedback(guestOrder.id, 2);
  const late = await store.createCustomer({ firstName: 'Late', lastName: 'Joiner', email: 'late@example.com' });

  // Live delivery has caught up when the customer subgraph has applied every event routed to it.
  const live = await eventually(async () => {
    expect(await graph.undelivered()).toBe(0);
    expect((await checkMetrics(dbs)).mismatches).toEqual([]);
    const rows = await snapshot();
    const joiner = rows.find((row) => row.customer_id === late.id)!;
    expect([Number(joiner.total_spent), joiner.returned_units, joiner.negative_feedback]).toEqual([1400, 1, 1]);
    // The points of the customers above, pending from their orders and spendable from adjustments.
    expect(rows.filter((row) => row.loyalty_points > 0)).toHaveLength(4);
    expect(rows.filter((row) => row.loyalty_pending_points > 0).length).toBeGreaterThan(4);
    expect(new Set(rows.map((row) => row.loyalty_tier).filter(Boolean)).size).toBeGreaterThan(1);
    return rows;
  }, 30_000);
  expect(live.reduce((sum, row) => sum + Number(row.negative_feedback), 0)).toBeGreaterThan(1);
  const others = await otherConsumers();

  // Live delivery keeps running: the rebuild holds it off while it works.
  const result = await rebuildMetrics(dbs);
  expect(result).toMatchObject({ pending: 0, replayed: expect.any(Number) });
  expect(result.replayed).toBeGreaterThan(0);
  expect(await snapshot()).toEqual(live);
  expect(await otherConsumers()).toEqual(others);
  expect(await checkMetrics(dbs)).toEqual({ customers: 7, mismatches: [] });
});

it('finds a projection that went wrong, and the rebuild puts it right', async () => {
  const sql = graph.graph.subgraphs.customer.db.sql;
  await sql`update customer.customer_metrics set returned_units = returned_units + 5, negative_feedback = negative_feedback + 1,
      loyalty_points = loyalty_points + 7, loyalty_tier = 'Platinum'
    where customer_id = (select customer_id from customer.customer_metrics order by customer_id limit 1)`;
  // A projection that missed every loyalty event of a member: no points, and not counted as one.
  await sql`update customer.customer_metrics set loyalty_points = 0, loyalty_pending_points = 0, loyalty_event_seq = 0,
      loyalty_tier = null
    where customer_id = (select customer_id from customer.customer_metrics where loyalty_points > 0 order by customer_id desc limit 1)`;
  const { mismatches } = await checkMetrics(dbs);
  expect(mismatches).toHaveLength(2);
  const [first, missed] = [...mismatches].sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
  expect(first!.projected.returnedUnits - first!.source.returnedUnits).toBe(5);
  expect(first!.projected.negativeFeedback - first!.source.negativeFeedback).toBe(1);
  expect(first!.projected.loyaltyPoints - first!.source.loyaltyPoints).toBe(7);
  // The tier as engagement's account holds it, by name.
  expect(first!.projected.loyaltyTier).toBe('Platinum');
  expect(['Bronze', 'Silver', 'Gold', null]).toContain(first!.source.loyaltyTier);
  expect(missed!.projected).toMatchObject({
    loyaltyPoints: 0,
    loyaltyPendingPoints: 0,
    loyaltyMember: false,
    loyaltyTier: null,
  });
  expect(missed!.source).toMatchObject({
    loyaltyPoints: expect.any(Number),
    loyaltyMember: true,
    loyaltyTier: expect.stringMatching(/^(Bronze|Silver|Gold)$/),
  });
  expect(missed!.source.loyaltyPoints).toBeGreaterThan(0);
  await rebuildMetrics(dbs);
  expect((await checkMetrics(dbs)).mismatches).toEqual([]);
});

it("keys every figure by store and customer: another store's order under a customer's id is reported as its own", async () => {
  const other = await graph.createStore('Rebuild other store', { currency: 'EUR' });
  const sql = dbs['commerce-history'].sql;
  const [{ id } = { id: '' }] = await sql<{ id: string }[]>`
    select customer_id::text as id from commerce_history.orders where customer_id is not null order by customer_id limit 1`;
  // What intake took before the customer directory refused it: store B's order naming A's customer.
  await sql`
    insert into commerce_history.orders (store_id, number, customer_id, channel, status, currency, subtotal, discount,
      shipping, tax, total, units)
    values (${other.id}, 'XSTORE0001', ${id}, 'web', 'new', 'JPY', 100000, 0, 0, 0, 100000, 1)`;
  try {
    const { mismatches } = await checkMetrics(dbs);
    expect(mismatches).toEqual([
      expect.objectContaining({
        storeId: other.id,
        customerId: id,
        source: expect.objectContaining({ totalSpent: 100000 }),
      }),
    ]);
  } finally {
    await sql`delete from commerce_history.orders where store_id = ${other.id}`;
  }
  expect((await checkMetrics(dbs)).mismatches).toEqual([]);
});
