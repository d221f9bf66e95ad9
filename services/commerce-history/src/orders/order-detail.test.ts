import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const DETAIL = /* GraphQL */ `
  query Detail($id: ID!) {
    order(id: $id) {
      id
      status
      units
      returnedUnits
      cancelledUnits
      total {
        amount
      }
      items {
        quantity
        unitCost {
          amount
          currency
        }
      }
      requests {
        type
        status
        units
      }
      profitAndLoss {
        keptUnits
        grossSales {
          amount
          currency
        }
        discounts {
          amount
        }
        revenue {
          amount
        }
        costKnown
        itemCost {
          amount
        }
        paymentFees {
          amount
        }
        shipping {
          amount
        }
        tax {
          amount
        }
        profit {
          amount
        }
        margin
      }
    }
  }
`;

const METRICS = /* GraphQL */ `
  query Metrics($id: ID!) {
    customer(id: $id) {
      metrics {
        orderCount
        units
        returnedUnits
        totalSpent {
          amount
        }
      }
    }
  }
`;

const CREATE_REQUEST = /* GraphQL */ `
  mutation ($orderId: ID!, $type: OrderRequestType!, $units: Int) {
    createOrderRequest(orderId: $orderId, type: $type, units: $units) {
      id
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let sequence = 0;

beforeAll(async () => {
  // The 50-order detail below costs more than the default limit, which is not what it is about.
  graph = await startTestGraph({ limits: { maxCost: 200_000 } });
  store = await graph.createStore('Order detail', { currency: 'EUR' });
});
afterAll(() => graph?.close());

const nextNumber = () => `D${String(++sequence).padStart(9, '0')}`;

/**
 * 3 shirts at 10.00 (cost 4.00) less 1.00, a hat at 20.00 (cost 12.00), 2.00 off the order, 4.90
 * shipping, 9.00 tax, a 1.50 payment fee: subtotal 50.00, discount 3.00, total 60.90.
 */
const detailedOrder = (customerId: string, extra: Record<string, unknown> = {}) => ({
  number: nextNumber(),
  customerId,
  channel: 'WEB',
  currency: 'EUR',
  items: [
    { productId: 'shirt', name: 'Shirt', quantity: 3, unitPrice: 1000, discount: 100, unitCost: 400 },
    { productId: 'hat', name: 'Hat', quantity: 1, unitPrice: 2000, unitCost: 1200 },
  ],
  discount: 200,
  shipping: 490,
  tax: 900,
  paymentFee: 150,
  ...extra,
});

async function record(input: Record<string, unknown>): Promise<string> {
  const { recordOrder } = await store.data(
    `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { id } }`,
    {
      input,
    },
  );
  return recordOrder.id;
}

const detail = async (id: string, on: TestStore = store) => (await on.data(DETAIL, { id })).order;
const metrics = async (id: string) => (await store.data(METRICS, { id })).customer.metrics;

describe('Order.profitAndLoss (O3)', () => {
  it('is revenue less item cost and payment fees, from what intake recorded', async () => {
    const customer = await store.createCustomer({ firstName: 'Pnl' });
    const order = await detail(await record(detailedOrder(customer.id)));
    expect(order.total.amount).toBe(6090);
    expect(order.items.map((item: any) => item.unitCost)).toEqual([
      { amount: 400, currency: 'EUR' },
      { amount: 1200, currency: 'EUR' },
    ]);
    // revenue 50.00 − 3.00 = 47.00; cost 3 × 4.00 + 12.00 = 24.00; profit 47.00 − 24.00 − 1.50.
    expect(order.profitAndLoss).toEqual({
      keptUnits: 4,
      grossSales: { amount: 5000, currency: 'EUR' },
      discounts: { amount: 300 },
      revenue: { amount: 4700 },
      costKnown: true,
      itemCost: { amount: 2400 },
      paymentFees: { amount: 150 },
      shipping: { amount: 490 },
      tax: { amount: 900 },
      profit: { amount: 2150 },
      margin: 2150 / 4700,
    });
    expect([order.returnedUnits, order.cancelledUnits]).toEqual([0, 0]);
  });

  it('follows returns, and has no cost or profit when a line has no cost', async () => {
    const customer = await store.createCustomer({ firstName: 'Pnl2' });
    const id = await record(detailedOrder(customer.id));
    await store.completeReturn(id, 2);
    const order = await detail(id);
    // 2 of 4 units back: the shirts line gives 1.5 → 1, and the larger remainder 1 more.
    expect(order.returnedUnits).toBe(2);
    expect(order.profitAndLoss).toMatchObject({
      keptUnits: 2,
      grossSales: { amount: 3000 },
      discounts: { amount: 150 },
      revenue: { amount: 2850 },
      itemCost: { amount: 1600 },
      profit: { amount: 2850 - 1600 - 150 },
    });

    const unknown = await detail(
      await record(
        detailedOrder(customer.id, {
          paymentFee: null,
          items: [{ productId: 'x', name: 'X', quantity: 1, unitPrice: 1000 }],
          discount: 0,
        }),
      ),
    );
    expect(unknown.items[0].unitCost).toBeNull();
    expect(unknown.profitAndLoss).toMatchObject({
      costKnown: false,
      itemCost: null,
      profit: null,
      margin: null,
      revenue: { amount: 1000 },
      paymentFees: { amount: 0 },
    });
  });

  it('refuses a negative unit cost or payment fee, naming the field', async () => {
    const customer = await store.createCustomer({ firstName: 'Pnl3' });
    const input = detailedOrder(customer.id);
    const badCost = await store.request(`mutation($input: RecordOrderInput!) { recordOrder(input: $input) { id } }`, {
      input: { ...input, items: [{ ...input.items[0], unitCost: -1 }] },
    });
    expect(badCost.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('input.items.0.unitCost');
    const badFee = await store.request(`mutation($input: RecordOrderInput!) { recordOrder(input: $input) { id } }`, {
      input: { ...input, paymentFee: -5 },
    });
    expect(badFee.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('input.paymentFee');
  });
});

describe('partial cancellation (O4)', () => {
  it('cancels only its units; the order stays and its P&L, the metrics and the timeline follow', async () => {
    const customer = await store.createCustomer({ firstName: 'Partial', lastName: 'Canceller' });
    const id = await record(detailedOrder(customer.id));
    await eventually(async () => expect((await metrics(customer.id)).units).toBe(4));

    await store.completeCancellation(id, 1);
    const order = await detail(id);
    expect(order).toMatchObject({ status: 'NEW', units: 4, cancelledUnits: 1, returnedUnits: 0 });
    expect(order.requests).toEqual([{ type: 'CANCELLATION', status: 'COMPLETED', units: 1 }]);
    // 1 of 4 units gone: it comes off the shirts line (3 × 1 / 4 = 0.75, the larger remainder).
    expect(order.profitAndLoss).toMatchObject({
      keptUnits: 3,
      grossSales: { amount: 4000 },
      discounts: { amount: 225 },
      revenue: { amount: 3775 },
      itemCost: { amount: 2000 },
      profit: { amount: 3775 - 2000 - 150 },
    });
    // The customer's figures lose the unit and its share of the total: 6090 × 1 / 4 = 1522.5 → 1522.
    await eventually(async () =>
      expect(await metrics(customer.id)).toEqual({
        orderCount: 1,
        units: 3,
        returnedUnits: 0,
        totalSpent: { amount: 6090 - 1522 },
      }),
    );
    const { customer: withTimeline } = await store.data(
      `query($id: ID!) { customer(id: $id) { timeline(kinds: [CANCELLATION]) { edges { node { kind summary order { id } } } } } }`,
      { id: customer.id },
    );
    expect(withTimeline.timeline.edges.map((edge: any) => edge.node)).toEqual([
      { kind: 'CANCELLATION', summary: expect.stringContaining('1 unit cancelled (1 of 4 so far'), order: { id } },
    ]);

    // No more than is left (neither returned nor cancelled), and a return of the rest counts 3.
    const tooMany = await store.request(CREATE_REQUEST, { orderId: id, type: 'CANCELLATION', units: 4 });
    expect(tooMany.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'units', message: 'must not exceed the 3 units not returned or cancelled yet' },
    ]);
    await store.completeReturn(id, null);
    const returned = await detail(id);
    expect(returned).toMatchObject({ status: 'RETURNED', returnedUnits: 3, cancelledUnits: 1 });
    expect(returned.profitAndLoss).toMatchObject({ keptUnits: 0, revenue: { amount: 0 }, margin: null });
    await eventually(async () =>
      expect(await metrics(customer.id)).toEqual({
        orderCount: 0,
        units: 0,
        returnedUnits: 3,
        totalSpent: null,
      }),
    );

    const events = await graph.graph.subgraphs['commerce-history']!.db.sql`
      select payload from commerce_history.outbox where type = 'order.cancellation_recorded' and payload->>'orderId' = ${id}`;
    expect(events.map((row) => row.payload)).toEqual([
      expect.objectContaining({
        units: 1,
        orderUnits: 4,
        orderStatus: 'new',
        cancelled: { from: { units: 0, amount: 0 }, to: { units: 1, amount: 1522 } },
      }),
    ]);
  });

  it('cancels the whole order, as before, without units or with every unit left', async () => {
    const customer = await store.createCustomer({ firstName: 'Whole', lastName: 'Canceller' });
    const whole = await record(detailedOrder(customer.id));
    const rest = await record(detailedOrder(customer.id));
    await eventually(async () => expect((await metrics(customer.id)).orderCount).toBe(2));
    await store.completeCancellation(whole, null);
    await store.completeCancellation(rest, 1);
    await store.completeCancellation(rest, 3);
    const [a, b] = [await detail(whole), await detail(rest)];
    expect([a.status, a.cancelledUnits, a.profitAndLoss.keptUnits]).toEqual(['CANCELLED', 4, 0]);
    expect([b.status, b.cancelledUnits, b.profitAndLoss.keptUnits]).toEqual(['CANCELLED', 4, 0]);
    expect(b.profitAndLoss).toMatchObject({
      revenue: { amount: 0 },
      itemCost: { amount: 0 },
      profit: { amount: -150 },
    });
    await eventually(async () =>
      expect(await metrics(customer.id)).toEqual({
        orderCount: 0,
        units: 0,
        returnedUnits: 0,
        totalSpent: null,
      }),
    );
    const { order } = await store.data(`query($id: ID!) { order(id: $id) { statusHistory { toStatus } } }`, {
      id: rest,
    });
    expect(order.statusHistory.map((step: any) => step.toStatus)).toEqual(['NEW', 'CANCELLED']);
  });
});

describe('bounded per-order lists', () => {
  it('gives the first `first` entries and refuses more than the bound with BAD_USER_INPUT', async () => {
    const customer = await store.createCustomer({ firstName: 'Bounded' });
    const id = await record(detailedOrder(customer.id));
    for (const status of ['IN_PROGRESS', 'PREPARED', 'INVOICED']) {
      await store.data(
        `mutation($id: ID!, $status: OrderStatus!) { updateOrderStatus(id: $id, status: $status) { id } }`,
        {
          id,
          status,
        },
      );
    }
    const { order } = await store.data(
      `query($id: ID!) { order(id: $id) { first: statusHistory(first: 2) { toStatus } all: statusHistory { toStatus } } }`,
      { id },
    );
    expect(order.first.map((step: any) => step.toStatus)).toEqual(['NEW', 'IN_PROGRESS']);
    expect(order.all).toHaveLength(4);

    for (const field of [
      'statusHistory(first: 101) { toStatus }',
      'requests(first: 51) { id }',
      'payments(first: 0) { id }',
    ]) {
      const response = await store.request(`query($id: ID!) { order(id: $id) { ${field} } }`, { id });
      expect(response.errors?.[0]?.extensions?.code, field).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.extensions?.fields?.[0]?.field, field).toBe('first');
    }
  });

  it('costs the same statements for the detail of 5 orders as of 50', async () => {
    const query = /* GraphQL */ `
      query ($id: ID!) {
        customer(id: $id) {
          orders(first: 50) {
            edges {
              node {
                id
                returnedUnits
                cancelledUnits
                items {
                  name
                }
                statusHistory(first: 5) {
                  toStatus
                }
                requests {
                  type
                }
                payments(first: 5) {
                  id
                }
                profitAndLoss {
                  revenue {
                    amount
                  }
                  profit {
                    amount
                  }
                }
              }
            }
          }
        }
      }
    `;
    const measure = async (orders: number) => {
      const customer = await store.createCustomer({ firstName: `Batch${orders}` });
      for (let i = 0; i < orders; i += 1) {
        const id = await record(detailedOrder(customer.id));
        if (i % 3 === 0) await store.completeCancellation(id, 1);
      }
      await store.data(query, { id: customer.id }); // warm the pools
      let data: any;
      const counts = await graph.countStatements(async () => {
        data = await store.data(query, { id: customer.id });
      });
      expect(data.customer.orders.edges).toHaveLength(orders);
      expect(data.customer.orders.edges.filter((edge: any) => edge.node.cancelledUnits === 1)).toHaveLength(
        Math.ceil(orders / 3),
      );
      return counts['commerce-history'];
    };
    const five = await measure(5);
    const fifty = await measure(50);
    // orders, items (shared with the P&L), status history, requests, payments, outcome (shared by
    // returnedUnits, cancelledUnits and the P&L).
    expect(five).toBe(6);
    expect(fifty).toBe(five);
  });
});
