import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const IMPORT = /* GraphQL */ `
  mutation ($orders: [RecordOrderInput!]!) {
    importOrders(orders: $orders) {
      recorded
      alreadyRecorded
      failed
      rows {
        index
        number
        status
        orderId
      }
      errors {
        index
        field
        code
        message
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let ada: string;
let bob: string;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Import store', { currency: 'EUR' });
  ada = (await store.createCustomer({ firstName: 'Ada' })).id;
  bob = (await store.createCustomer({ firstName: 'Bob' })).id;
});
afterAll(() => graph?.close());

const row = (number: string, fields: Record<string, unknown> = {}) => ({
  number,
  channel: 'MARKETPLACE',
  platform: 'Trendyol',
  currency: 'EUR',
  items: [{ productId: 'p1', sku: 'IMP-1', name: 'Imported', quantity: 2, unitPrice: 1500 }],
  ...fields,
});

const importOrders = async (orders: unknown[]) => (await store.data(IMPORT, { orders })).importOrders;

const sql = () => graph.graph.subgraphs['commerce-history']!.db.sql;
async function recordedEvents(numbers: string[]): Promise<number> {
  const [row] = await sql()`
    select count(*)::int as n from commerce_history.outbox
    where store_id = ${store.id} and type = 'order.recorded' and payload->>'number' = any(string_to_array(${numbers.join(',')}, ','))`;
  return row!.n;
}

const metricsOf = async (id: string) =>
  (await store.data(`query($id: ID!) { customer(id: $id) { metrics { orderCount totalSpent { amount } } } }`, { id }))
    .customer.metrics;

describe('importOrders (O1)', () => {
  it('records a batch as single intake does, and the same batch again records nothing new', async () => {
    const batch = [
      row('IMPA000001', { customerId: ada }),
      row('IMPA000002', { customerId: ada, shipping: 500 }),
      row('IMPA000003', { customerId: bob }),
      row('IMPA000004', { guest: { name: 'Guest', email: 'import-guest@test.example' } }),
    ];
    const first = await importOrders(batch);
    expect(first).toMatchObject({ recorded: 4, alreadyRecorded: 0, failed: 0, errors: [] });
    expect(first.rows.map((entry: any) => [entry.index, entry.number, entry.status])).toEqual([
      [0, 'IMPA000001', 'RECORDED'],
      [1, 'IMPA000002', 'RECORDED'],
      [2, 'IMPA000003', 'RECORDED'],
      [3, 'IMPA000004', 'RECORDED'],
    ]);
    const numbers = batch.map((entry) => entry.number);
    expect(await recordedEvents(numbers)).toBe(4);
    // Each customer's orders reach the projection on their own, in no set order.
    await eventually(async () => expect(await metricsOf(ada)).toEqual({ orderCount: 2, totalSpent: { amount: 6500 } }));
    await eventually(async () => expect(await metricsOf(bob)).toEqual({ orderCount: 1, totalSpent: { amount: 3000 } }));

    const again = await importOrders(batch);
    expect(again).toMatchObject({ recorded: 0, alreadyRecorded: 4, failed: 0, errors: [] });
    expect(again.rows.map((entry: any) => entry.orderId)).toEqual(first.rows.map((entry: any) => entry.orderId));
    expect(await recordedEvents(numbers)).toBe(4);
    const [count] = await sql()`
      select count(*)::int as n from commerce_history.orders where store_id = ${store.id} and number = any(string_to_array(${numbers.join(',')}, ','))`;
    expect(count!.n).toBe(4);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await metricsOf(ada)).toEqual({ orderCount: 2, totalSpent: { amount: 6500 } });
  });

  it('keeps the good rows of a batch with bad ones and names each bad row and field', async () => {
    const result = await importOrders([
      row('IMPB000001', { customerId: ada }),
      row('IMPB000002', {
        customerId: ada,
        items: [{ productId: 'p1', name: 'Bad', quantity: 0, unitPrice: 100 }],
      }),
      row('IMPB000003', { customerId: '00000000-0000-4000-8000-000000000000' }),
      row('IMPB000004', { customerId: bob, currency: 'USD' }),
      row('IMPB000001', { customerId: bob }),
      row('bad number', { customerId: bob }),
      row('IMPB000005', { guest: { phone: '+90 532 123 45 67' } }),
    ]);
    expect(result).toMatchObject({ recorded: 2, alreadyRecorded: 1, failed: 4 });
    expect(result.rows.map((entry: any) => entry.status)).toEqual([
      'RECORDED',
      'FAILED',
      'FAILED',
      'FAILED',
      'ALREADY_RECORDED',
      'FAILED',
      'RECORDED',
    ]);
    // A repeat of a number earlier in the batch is that order.
    expect(result.rows[4].orderId).toBe(result.rows[0].orderId);
    const byRow = new Map<number, any[]>();
    for (const error of result.errors) byRow.set(error.index, [...(byRow.get(error.index) ?? []), error]);
    expect([...byRow.keys()]).toEqual([1, 2, 3, 5]);
    expect(byRow.get(1)).toEqual([
      expect.objectContaining({ field: 'orders.1.items.0.quantity', code: 'BAD_USER_INPUT' }),
    ]);
    expect(byRow.get(2)![0]).toMatchObject({ index: 2 });
    expect(byRow.get(3)).toEqual([expect.objectContaining({ field: 'orders.3.currency', code: 'BAD_USER_INPUT' })]);
    expect(byRow.get(5)).toEqual([expect.objectContaining({ field: 'orders.5.number', code: 'BAD_USER_INPUT' })]);
    for (const error of result.errors) expect(error.message).not.toMatch(/select|insert|\$\d/i);

    const [count] = await sql()`
      select count(*)::int as n from commerce_history.orders where store_id = ${store.id} and number like 'IMPB%'`;
    expect(count!.n).toBe(2);
  });

  it('refuses more than 1,000 rows, and records nothing', async () => {
    const rows = Array.from({ length: 1001 }, (_, index) =>
      row(`IMPC${String(index).padStart(6, '0')}`, { customerId: ada }),
    );
    const response = await store.request(IMPORT, { orders: rows });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'orders' }] });
    const [count] = await sql()`
      select count(*)::int as n from commerce_history.orders where store_id = ${store.id} and number like 'IMPC%'`;
    expect(count!.n).toBe(0);
  });

  it('needs ORDERS_MANAGE', async () => {
    const viewer = await store.staff('import-viewer', 'VIEWER');
    const response = await graph.request(
      IMPORT,
      { orders: [row('IMPD000001', { customerId: ada })] },
      { token: viewer },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('costs the same statements for 10 rows as for 50: each step is one statement for the batch', async () => {
    const rows = (prefix: string, n: number) =>
      Array.from({ length: n }, (_, index) =>
        row(`${prefix}${String(index).padStart(6, '0')}`, index % 2 ? { customerId: ada } : { customerId: bob }),
      );
    const ten = await graph.countStatements(() => importOrders(rows('IMPE', 10)));
    const fifty = await graph.countStatements(() => importOrders(rows('IMPF', 50)));
    expect(fifty['commerce-history']).toBe(ten['commerce-history']);
  });

  it('records a batch whose lines pass the parameter limit of one PostgreSQL statement', async () => {
    // 300 orders of 30 lines: 9,000 item rows, about 100,000 parameters in a single insert.
    const items = Array.from({ length: 30 }, (_, line) => ({
      productId: `p${line}`,
      sku: `BIG-${line}`,
      name: `Line ${line}`,
      quantity: 1,
      unitPrice: 100 + line,
    }));
    const rows = Array.from({ length: 300 }, (_, index) =>
      row(`IMPG${String(index).padStart(6, '0')}`, { customerId: ada, items }),
    );
    let result: any;
    const statements = await graph.countStatements(async () => (result = await importOrders(rows)));
    expect(result).toMatchObject({ recorded: 300, failed: 0 });
    // Set-based still, not row by row: the lines took a few statements, not one per order.
    expect(statements['commerce-history']).toBeLessThan(30);
    const [lines] = await sql()`
      select count(*)::int as n from commerce_history.order_items i
      join commerce_history.orders o on o.store_id = i.store_id and o.id = i.order_id
      where o.store_id = ${store.id} and o.number like 'IMPG%'`;
    expect(lines!.n).toBe(9000);
  });

  it('holds coupon limits inside a batch: each row sees the uses of the rows before it', async () => {
    const twice = await store.createCoupon({ code: 'IMPTWICE', usageLimit: 2 });
    const once = await store.createCoupon({ code: 'IMPONCE', perCustomerLimit: 1 });
    const withCoupon = (number: string, customerId: string, code: string) =>
      row(number, { customerId, couponCodes: [code], discount: 100 });
    let result: any;
    const statements = await graph.countStatements(
      async () =>
        (result = await importOrders([
          withCoupon('IMPH000001', ada, twice.code),
          withCoupon('IMPH000002', bob, twice.code),
          withCoupon('IMPH000003', ada, twice.code),
          withCoupon('IMPH000004', ada, once.code),
          withCoupon('IMPH000005', ada, once.code),
          withCoupon('IMPH000006', bob, once.code),
        ])),
    );
    expect(result.rows.map((entry: any) => entry.status)).toEqual([
      'RECORDED',
      'RECORDED',
      'FAILED',
      'RECORDED',
      'FAILED',
      'RECORDED',
    ]);
    expect(result.errors.map((error: any) => [error.index, error.field, error.code])).toEqual([
      [2, 'orders.2.couponCodes.0', 'CONFLICT'],
      [4, 'orders.4.couponCodes.0', 'CONFLICT'],
    ]);
    // Judged in one pass, not row by row after the database refused a use past the limit.
    expect(statements['commerce-history']).toBeLessThan(20);
    const uses = await sql()`
      select code, times_used from commerce_history.coupons where store_id = ${store.id} and code like 'IMP%' order by code`;
    expect(uses.map((entry) => [entry.code, entry.times_used])).toEqual([
      ['IMPONCE', 2],
      ['IMPTWICE', 2],
    ]);
  });
});
