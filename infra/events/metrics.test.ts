import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { checkMetrics, rebuildMetrics, type MetricsDatabases } from './metrics.ts';

let graph: TestGraph;
let store: TestStore;
let dbs: MetricsDatabases;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Rebuild store', { currency: 'EUR' });
  const subgraphs = graph.graph.subgraphs;
  dbs = { customer: subgraphs.customer.db, 'commerce-history': subgraphs['commerce-history']!.db, engagement: subgraphs.engagement!.db };
});
afterAll(() => graph?.close());

const snapshot = () =>
  graph.graph.subgraphs.customer.db.sql`
    select customer_id, order_count, total_spent, units, returned_units, discount_received, promo_code_orders,
      first_order_at, last_order_at, currency, wallet_balance, wallet_currency
    from customer.customer_metrics order by customer_id`;

it('rebuilds exactly the projection that live delivery produced, and it matches the sources', async () => {
  const ids: string[] = [];
  for (let i = 0; i < 6; i += 1) {
    const { createCustomer } = await store.data(
      `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
      { input: { firstName: `Re${i}`, lastName: 'Build', email: `rebuild${i}@example.com` } },
    );
    ids.push(createCustomer.id);
  }
  let n = 0;
  for (const [i, id] of ids.entries()) {
    for (let k = 0; k <= i; k += 1) {
      n += 1;
      const { recordOrder } = await store.data(
        `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { id } }`,
        {
          input: {
            number: `RB${String(n).padStart(8, '0')}`,
            customerId: id,
            channel: 'POS',
            currency: 'EUR',
            items: [{ productId: 'p', name: 'P', quantity: 1 + k, unitPrice: 1000 + 100 * i, discount: k * 10 }],
            couponCodes: k % 2 ? ['TEN'] : [],
          },
        },
      );
      if (k === 1) await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: RETURNED) { id } }`, { id: recordOrder.id });
    }
    await store.data(
      `mutation($id: ID!, $amount: Int!) { adjustWallet(input: { customerId: $id, amount: $amount, currency: "EUR", reason: "r" }) { entry { id } } }`,
      { id, amount: 500 * (i + 1) },
    );
  }
  // Live delivery has caught up when the projection agrees with the sources.
  await eventually(async () => expect((await checkMetrics(dbs)).mismatches).toEqual([]), 30_000);
  const live = await snapshot();

  // As in operations, the live consumer pauses while the projection is rebuilt.
  const delivery = graph.graph.subgraphs.customer.delivery!;
  await delivery.stop();
  const result = await rebuildMetrics(dbs);
  await delivery.start();
  expect(result.applied).toBe(result.events);
  expect(await snapshot()).toEqual(live);
  expect(await checkMetrics(dbs)).toEqual({ customers: 6, mismatches: [] });
});
