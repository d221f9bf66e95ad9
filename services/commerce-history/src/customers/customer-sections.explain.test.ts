import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explain, planNodes, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

/**
 * A customer's purchased products (O6) and logs (O9) are read from the histories of their own
 * orders: with 40,000 orders of 4,000 customers in the store (and others in another), each section
 * must start from the customer's index entries, never scan a history table whole.
 */
const HISTORIES = [
  'orders',
  'order_items',
  'order_status_changes',
  'order_requests',
  'payments',
  'payment_status_changes',
];

let graph: TestGraph;
let store: TestStore;
let customerId: string;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Section store', { currency: 'EUR' });
  const other = await graph.createStore('Other section store', { currency: 'EUR' });
  customerId = (await store.createCustomer({ firstName: 'Sample' })).id;
  const sql = graph.graph.subgraphs['commerce-history']!.db.sql;
  for (const [storeId, count] of [
    [store.id, 40_000],
    [other.id, 4_000],
  ] as const) {
    // Bulk customers that no other subgraph knows: the sections are read by customer id alone.
    await sql`
      with o as (
        insert into commerce_history.orders (store_id, number, customer_id, channel, status, currency, subtotal, discount, shipping, tax, total, units, created_at)
        select ${storeId}, 'SEC' || lpad(i::text, 7, '0'),
          case when i % 4000 = 0 then ${customerId}::uuid else md5(${storeId} || (i % 4000)::text)::uuid end,
          'web', 'delivered', 'EUR', 1000, 0, 0, 0, 1000, 1, now() - (i || ' minutes')::interval
        from generate_series(1, ${count}::int) i
        returning id, store_id, customer_id, created_at
      ), items as (
        insert into commerce_history.order_items (store_id, order_id, position, product_id, sku, name, quantity, unit_price, total)
        select store_id, id, 0, 'p' || (abs(hashtext(id::text)) % 50), 'SKU-' || (abs(hashtext(id::text)) % 50), 'Product', 1, 1000, 1000 from o
      ), history as (
        insert into commerce_history.order_status_changes (store_id, order_id, to_status, created_at)
        select store_id, id, 'delivered', created_at from o
      ), requests as (
        insert into commerce_history.order_requests (store_id, order_id, type, created_at)
        select store_id, id, 'return', created_at from o where abs(hashtext(id::text)) % 10 = 0
      ), paid as (
        insert into commerce_history.payments (store_id, order_id, customer_id, transaction_code, method, amount, currency, status, created_at)
        select store_id, id, customer_id, 'SEC-' || id, 'credit_card', 1000, 'EUR', 'completed', created_at from o
        returning id, store_id, created_at
      )
      insert into commerce_history.payment_status_changes (store_id, payment_id, to_status, created_at)
      select store_id, id, 'completed', created_at from paid`;
  }
  for (const table of HISTORIES) await sql.unsafe(`analyze commerce_history.${table}`);
}, 300_000);
afterAll(() => graph?.close());

/** The tables of `HISTORIES` a statement of the request scanned whole. */
async function scansOf(query: string): Promise<{ rows: number; seqScans: string[] }> {
  const commerce = graph.graph.subgraphs['commerce-history']!.db;
  let rows = 0;
  const statements = await commerce.captureStatements(async () => {
    const { customer } = await store.data(query, { id: customerId });
    rows = (Object.values(customer)[0] as { edges: unknown[] }).edges.length;
  });
  const seqScans: string[] = [];
  for (const statement of statements) {
    const plan = await explain(commerce, statement, { schema: 'commerce_history', storeId: store.id });
    for (const node of planNodes(plan))
      if (node['Node Type'] === 'Seq Scan' && HISTORIES.includes(String(node['Relation Name'])))
        seqScans.push(`Seq Scan on ${node['Relation Name']}`);
  }
  return { rows, seqScans };
}

it('sees a sequential scan where there is one (the check itself)', async () => {
  const plan = await explain(graph.graph.subgraphs['commerce-history']!.db, {
    query: `select * from commerce_history.order_items where name = 'x'`,
    parameters: [],
  });
  expect(planNodes(plan).map((node) => node['Node Type'])).toContain('Seq Scan');
});

describe('a customer’s sections over 40,000 orders of the store', () => {
  it.each([
    ['purchased products by units', `purchasedProducts(first: 20) { edges { node { sku units } } }`],
    [
      'purchased products by last purchase',
      `purchasedProducts(first: 20, sort: LAST_PURCHASE) { edges { node { sku } } }`,
    ],
    ['order logs', `logs(kind: ORDER, first: 20) { totalCount edges { node { event } } }`],
    ['payment logs', `logs(kind: PAYMENT, first: 20) { totalCount edges { node { event } } }`],
    ['both logs', `logs(first: 20) { edges { node { event } } }`],
  ])('%s start from the customer’s index entries', async (_name, selection) => {
    const result = await scansOf(`query ($id: ID!) { customer(id: $id) { ${selection} } }`);
    expect(result.seqScans).toEqual([]);
    expect(result.rows).toBeGreaterThan(0);
  });
});
