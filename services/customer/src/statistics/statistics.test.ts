import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const STATISTICS = /* GraphQL */ `
  {
    customerStatistics {
      id
      totalCustomers
      activeLast30Days
      newThisMonth
      averageOrderValue {
        amount
        currency
      }
      repeatCustomerRate
      loyaltyMembers
      ordersCount
      unitsSold
      returnedUnits
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;

/**
 * Five customers:
 *   Pelin  two orders now, 10.00 and 30.00, loyalty points  → active, repeat buyer, loyalty member
 *   Riza   one order of 2 × 20.00, placed 40 days ago        → not active
 *   Selin  a returned order of 3 × 5.00, placed 60 days ago  → 3 returned units, no purchase
 *   Tarik  VIP card (not the loyalty program), member since last month, no orders
 *   Umut   one order now of 70.00, his figures in USD        → counted, but not in the EUR average
 */
beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Statistics store', { currency: 'EUR' });
  other = await graph.createStore('Empty store', { currency: 'EUR' });
  const customer = async (firstName: string, extra: Record<string, unknown> = {}) =>
    (
      await store.createCustomer({
        firstName,
        lastName: 'Stat',
        email: `${firstName.toLowerCase()}@stats.example`,
        ...extra,
      })
    ).id;
  const [pelin, riza, selin, tarik, umut] = await Promise.all([
    customer('Pelin'),
    customer('Riza'),
    customer('Selin'),
    customer('Tarik', { vipCard: { memberNumber: 'VIP-7' } }),
    customer('Umut'),
  ]);
  await graph.graph.subgraphs.customer.db.sql`
    update customer.customers set created_at = date_trunc('month', now(), 'UTC') - interval '1 day' where id = ${tarik!}`;
  await Promise.all([
    store.recordOrder({ customerId: pelin!, unitPrice: 1000 }),
    store.recordOrder({ customerId: pelin!, unitPrice: 3000 }),
    store.recordOrder({ customerId: riza!, unitPrice: 2000, quantity: 2, placedAt: daysAgo(40) }),
    store.recordOrder({ customerId: selin!, unitPrice: 500, quantity: 3, status: 'RETURNED', placedAt: daysAgo(60) }),
    store.recordOrder({ customerId: umut!, unitPrice: 7000 }),
  ]);
  await store.data(
    `mutation($id: ID!) { adjustLoyaltyPoints(input: { customerId: $id, points: 25, reason: "Welcome" }) { entry { id } } }`,
    { id: pelin },
  );
  await eventually(async () => {
    const { customerStatistics } = await store.data(STATISTICS);
    expect([customerStatistics.ordersCount, customerStatistics.returnedUnits]).toEqual([4, 3]);
    expect(customerStatistics.loyaltyMembers).toBe(1);
  });
  // Figures in another currency than the store's, as intake took them before it required the
  // store's currency (the customer directory): the average leaves them out.
  await graph.graph.subgraphs.customer.db.sql`
    update customer.customer_metrics set currency = 'USD' where customer_id = ${umut!}`;
});
afterAll(() => graph?.close());

describe('customer statistics (C11)', () => {
  it('computes every figure of the store exactly, in one statement', async () => {
    let result: any;
    const statements = await graph.countStatements(async () => {
      result = await store.data(STATISTICS);
    });
    expect(result.customerStatistics).toEqual({
      id: store.id, // the store's one set of statistics, as a client's cache keeps it
      totalCustomers: 5,
      activeLast30Days: 2, // Pelin and Umut
      newThisMonth: 4, // all but Tarik
      averageOrderValue: { amount: 2667, currency: 'EUR' }, // (40.00 + 40.00) / 3 orders, rounded
      repeatCustomerRate: 1 / 3, // Pelin of Pelin, Riza and Umut
      loyaltyMembers: 1, // Pelin
      ordersCount: 4,
      unitsSold: 5,
      returnedUnits: 3,
    });
    expect(statements.customer).toBe(1);
  });

  it('follows new orders', async () => {
    const { customers } = await store.data(
      `{ customers(first: 10, filter: { search: "riza" }) { edges { node { id } } } }`,
    );
    await store.recordOrder({ customerId: customers.edges[0].node.id, unitPrice: 1000 });
    await eventually(async () => {
      const { customerStatistics } = await store.data(STATISTICS);
      expect(customerStatistics).toMatchObject({
        activeLast30Days: 3,
        ordersCount: 5,
        repeatCustomerRate: 2 / 3,
        averageOrderValue: { amount: 2250, currency: 'EUR' }, // 90.00 / 4
      });
    });
  });

  it('shows another store only its own (empty) figures', async () => {
    expect((await other.data(STATISTICS)).customerStatistics).toEqual({
      id: other.id,
      totalCustomers: 0,
      activeLast30Days: 0,
      newThisMonth: 0,
      averageOrderValue: null,
      repeatCustomerRate: null,
      loyaltyMembers: 0,
      ordersCount: 0,
      unitsSold: 0,
      returnedUnits: 0,
    });
  });
});
