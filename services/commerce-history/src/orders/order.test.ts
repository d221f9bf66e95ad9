import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const RECORD = /* GraphQL */ `
  mutation Record($input: RecordOrderInput!) {
    recordOrder(input: $input) {
      id
      number
      status
      channel
      platform
      receiptNumber
      currency
      units
      paymentMethod
      couponCodes
      campaignId
      campaignName
      ip
      createdAt
      customer {
        id
        firstName
      }
      guest {
        name
        email
        phone
      }
      subtotal {
        amount
        currency
      }
      discount {
        amount
      }
      shipping {
        amount
      }
      tax {
        amount
      }
      total {
        amount
        currency
      }
      items {
        productId
        sku
        name
        quantity
        unitPrice {
          amount
          currency
        }
        discount {
          amount
        }
        total {
          amount
        }
      }
      statusHistory {
        fromStatus
        toStatus
        note
        changedBy
      }
    }
  }
`;
const CUSTOMER_ORDERS = /* GraphQL */ `
  query CustomerOrders($id: ID!, $first: Int, $after: String, $filter: CustomerOrdersFilter) {
    customer(id: $id) {
      orders(first: $first, after: $after, filter: $filter) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            number
            status
            createdAt
          }
        }
      }
    }
  }
`;
const UPDATE_STATUS = /* GraphQL */ `
  mutation UpdateStatus($id: ID!, $status: OrderStatus!, $note: String) {
    updateOrderStatus(id: $id, status: $status, note: $note) {
      id
      status
      statusHistory {
        fromStatus
        toStatus
        note
      }
    }
  }
`;
const CREATE_REQUEST = /* GraphQL */ `
  mutation CreateRequest($orderId: ID!, $type: OrderRequestType!, $reason: String, $units: Int) {
    createOrderRequest(orderId: $orderId, type: $type, reason: $reason, units: $units) {
      id
      type
      status
      reason
      units
      order {
        id
      }
    }
  }
`;
const UPDATE_REQUEST = /* GraphQL */ `
  mutation UpdateRequest($id: ID!, $status: OrderRequestStatus!, $note: String) {
    updateOrderRequestStatus(id: $id, status: $status, note: $note) {
      id
      status
      note
    }
  }
`;
const BY_NUMBER = /* GraphQL */ `
  query ByNumber($number: String!) {
    orderByNumber(number: $number) {
      id
      number
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;
let sequence = 0;
const coupons: Record<string, string> = {};

beforeAll(async () => {
  // Deep batches of every per-order (per-permission) list, measured for their statements: their
  // worst-case cost is above the default limit, which is not what these tests are about.
  graph = await startTestGraph({ limits: { maxCost: 200_000 } });
  store = await graph.createStore('Orders');
  other = await graph.createStore('Other orders');
  // O8: intake refuses codes that are no coupons of the store.
  for (const code of ['SUMMER', 'VIP', 'SPRING'])
    coupons[code] = (
      await store.createCoupon({
        code,
        discountType: 'FIXED_AMOUNT',
        amount: 100,
        currency: 'EUR',
        // Orders placed in 2024 redeem them.
        startsAt: '2020-01-01T00:00:00Z',
      })
    ).id;
});
afterAll(() => graph?.close());

const nextNumber = () => `T${String(++sequence).padStart(9, '0')}`;

const newCustomer = async (on: TestStore, name: string) => (await on.createCustomer({ firstName: name })).id;

const orderInput = (customerId: string | null, extra: Record<string, unknown> = {}) => ({
  number: nextNumber(),
  customerId,
  channel: 'WEB',
  currency: 'eur',
  items: [
    { productId: 'p-1', sku: 'SKU-1', name: 'Shirt', quantity: 2, unitPrice: 1500, discount: 500 },
    { productId: 'p-2', name: 'Hat', quantity: 1, unitPrice: 1000 },
  ],
  discount: 200,
  shipping: 499,
  tax: 300,
  ...extra,
});

async function record(on: TestStore, input: Record<string, unknown>) {
  return (await on.data(RECORD, { input })).recordOrder;
}

describe('recordOrder (O1, O2)', () => {
  it('records items, computes the amounts and starts the status history', async () => {
    const customerId = await newCustomer(store, 'Ada');
    const order = await record(
      store,
      orderInput(customerId, {
        platform: 'Shopify',
        receiptNumber: 'R-1',
        paymentMethod: 'CREDIT_CARD',
        couponCodes: ['SUMMER', 'SUMMER', 'VIP'],
        campaignId: 'camp-1',
        campaignName: 'Summer sale',
        ip: '203.0.113.7',
        placedAt: '2024-05-01T10:00:00.123Z',
      }),
    );
    expect(order).toMatchObject({
      status: 'NEW',
      channel: 'WEB',
      currency: 'EUR',
      units: 3,
      couponCodes: ['SUMMER', 'VIP'],
      ip: '203.0.113.7',
      createdAt: '2024-05-01T10:00:00.123Z',
      // The customer's own fields come from the customer subgraph through the gateway.
      customer: { id: customerId, firstName: 'Ada' },
      guest: null,
      subtotal: { amount: 4000, currency: 'EUR' },
      discount: { amount: 700 },
      shipping: { amount: 499 },
      tax: { amount: 300 },
      total: { amount: 4000 - 700 + 499 + 300, currency: 'EUR' },
    });
    expect(order.items).toEqual([
      {
        productId: 'p-1',
        sku: 'SKU-1',
        name: 'Shirt',
        quantity: 2,
        unitPrice: { amount: 1500, currency: 'EUR' },
        discount: { amount: 500 },
        total: { amount: 2500 },
      },
      {
        productId: 'p-2',
        sku: null,
        name: 'Hat',
        quantity: 1,
        unitPrice: { amount: 1000, currency: 'EUR' },
        discount: { amount: 0 },
        total: { amount: 1000 },
      },
    ]);
    expect(order.statusHistory).toEqual([
      { fromStatus: null, toStatus: 'NEW', note: null, changedBy: expect.any(String) },
    ]);
  });

  it('records a guest order with its contact and an initial status', async () => {
    const order = await record(
      store,
      orderInput(null, {
        guest: { name: 'Guest', email: ' guest@example.com ', phone: '+90 532 123 45 67' },
        status: 'PENDING_DELIVERY',
        channel: 'POS',
      }),
    );
    expect(order).toMatchObject({
      customer: null,
      guest: { name: 'Guest', email: 'guest@example.com', phone: '+905321234567' },
      status: 'PENDING_DELIVERY',
      channel: 'POS',
    });
  });

  it('refuses a number already used in the store, but not one used in another store', async () => {
    const customerId = await newCustomer(store, 'Dup');
    const input = orderInput(customerId);
    await record(store, input);
    const response = await store.request(RECORD, { input });
    expect(response.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(response.errors?.[0]?.message).toBe('Order number is already used');
    const otherCustomer = await newCustomer(other, 'Elsewhere');
    expect((await record(other, { ...input, customerId: otherCustomer })).number).toBe(input.number);
  });

  it('lets exactly one of many concurrent intakes of a number win', async () => {
    const customerId = await newCustomer(store, 'Race');
    const input = orderInput(customerId);
    const responses = await Promise.all(Array.from({ length: 8 }, () => store.request(RECORD, { input })));
    expect(responses.filter((response) => response.data?.recordOrder)).toHaveLength(1);
    expect(responses.filter((response) => response.errors?.[0]?.extensions?.code === 'CONFLICT')).toHaveLength(7);
  });

  it.each([
    ['input.currency', { currency: 'EURO' }],
    ['input.number', { number: 'abc123' }],
    ['input.number', { number: 'abcdefghij' }],
    ['input.items.0.quantity', { items: [{ productId: 'p', name: 'x', quantity: 0, unitPrice: 100 }] }],
    ['input.items.0.unitPrice', { items: [{ productId: 'p', name: 'x', quantity: 1, unitPrice: -1 }] }],
    ['input.items.0.discount', { items: [{ productId: 'p', name: 'x', quantity: 1, unitPrice: 100, discount: 101 }] }],
    ['input.items', { items: [] }],
    ['input.discount', { discount: 1_000_000 }],
    ['input.guest', { guest: { email: 'both@example.com' } }],
    ['input.ip', { ip: '300.1.1.1' }],
    ['input.placedAt', { placedAt: '2999-01-01T00:00:00Z' }],
  ])('rejects a bad %s with BAD_USER_INPUT and writes nothing', async (field, extra) => {
    const customerId = await newCustomer(store, 'Bad');
    const input = orderInput(customerId, extra);
    const response = await store.request(RECORD, { input });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect((await store.data(CUSTOMER_ORDERS, { id: customerId })).customer.orders.totalCount).toBe(0);
  });

  it('rejects an order with neither a customer nor a reachable guest', async () => {
    for (const [guest, field] of [
      [null, 'input.customerId'],
      [{ name: 'No contact' }, 'input.guest.email'],
      [{ phone: '12' }, 'input.guest.phone'],
    ] as const) {
      const response = await store.request(RECORD, { input: orderInput(null, { guest }) });
      expect(response.errors?.[0]?.extensions?.fields.map((f: { field: string }) => f.field)).toContain(field);
    }
  });
});

describe('updateOrderStatus', () => {
  it('moves the order and appends to its history; the same status changes nothing', async () => {
    const order = await record(store, orderInput(await newCustomer(store, 'Status')));
    await store.data(UPDATE_STATUS, { id: order.id, status: 'IN_PROGRESS' });
    const { updateOrderStatus } = await store.data(UPDATE_STATUS, {
      id: order.id,
      status: 'IN_DELIVERY',
      note: 'Shipped',
    });
    expect(updateOrderStatus.status).toBe('IN_DELIVERY');
    expect(updateOrderStatus.statusHistory).toEqual([
      { fromStatus: null, toStatus: 'NEW', note: null },
      { fromStatus: 'NEW', toStatus: 'IN_PROGRESS', note: null },
      { fromStatus: 'IN_PROGRESS', toStatus: 'IN_DELIVERY', note: 'Shipped' },
    ]);
    const again = await store.data(UPDATE_STATUS, { id: order.id, status: 'IN_DELIVERY' });
    expect(again.updateOrderStatus.statusHistory).toHaveLength(3);
  });

  it('does not find another store’s order', async () => {
    const order = await record(store, orderInput(await newCustomer(store, 'Mine')));
    const response = await other.request(UPDATE_STATUS, { id: order.id, status: 'CANCELLED' });
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await store.data(`query($id: ID!) { order(id: $id) { status } }`, { id: order.id })).order.status).toBe(
      'NEW',
    );
  });
});

describe('order queries', () => {
  it('finds an order by id and by number only in its own store', async () => {
    const order = await record(store, orderInput(await newCustomer(store, 'Find')));
    expect((await store.data(`query($id: ID!) { order(id: $id) { number } }`, { id: order.id })).order.number).toBe(
      order.number,
    );
    expect((await store.data(BY_NUMBER, { number: order.number })).orderByNumber.id).toBe(order.id);
    expect((await other.data(`query($id: ID!) { order(id: $id) { id } }`, { id: order.id })).order).toBeNull();
    expect((await other.data(BY_NUMBER, { number: order.number })).orderByNumber).toBeNull();
    const bad = await store.request(BY_NUMBER, { number: 'short' });
    expect(bad.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('number');
  });
});

describe('Customer.orders (O3)', () => {
  let customerId: string;
  const ids: string[] = [];
  const day = (n: number) => new Date(Date.UTC(2024, 0, 1 + n, 12)).toISOString();

  beforeAll(async () => {
    customerId = await newCustomer(store, 'Pager');
    for (let i = 0; i < 25; i += 1) {
      const order = await record(
        store,
        orderInput(customerId, { placedAt: day(i), status: i % 5 === 0 ? 'DELIVERED' : 'NEW' }),
      );
      ids.push(order.id);
    }
    // Three orders at the same millisecond: the id breaks the tie.
    for (let i = 0; i < 3; i += 1) ids.push((await record(store, orderInput(customerId, { placedAt: day(30) }))).id);
  });

  // Pages of 1 and 3: the short lists of a phone screen, with the ties of one millisecond across pages.
  it.each([10, 3, 1])('pages newest first without gaps or repeats, %i at a time', async (first) => {
    const seen: string[] = [];
    const dates: string[] = [];
    let after: string | null = null;
    for (;;) {
      const { customer }: { customer: any } = await store.data(CUSTOMER_ORDERS, { id: customerId, first, after });
      expect(customer.orders.edges.length).toBeLessThanOrEqual(first);
      expect(customer.orders.totalCount).toBe(28);
      seen.push(...customer.orders.edges.map((edge: any) => edge.node.id));
      dates.push(...customer.orders.edges.map((edge: any) => edge.node.createdAt));
      if (!customer.orders.pageInfo.hasNextPage) break;
      after = customer.orders.pageInfo.endCursor;
    }
    expect(seen).toHaveLength(28);
    expect(new Set(seen)).toEqual(new Set(ids));
    expect([...dates].sort().reverse()).toEqual(dates);
  });

  it('filters by date range (inclusive) and status', async () => {
    const ranged = await store.data(CUSTOMER_ORDERS, { id: customerId, filter: { from: day(5), to: day(9) } });
    expect(ranged.customer.orders.totalCount).toBe(5);
    const delivered = await store.data(CUSTOMER_ORDERS, { id: customerId, filter: { status: ['DELIVERED'] } });
    expect(delivered.customer.orders.totalCount).toBe(5);
    expect(delivered.customer.orders.edges.every((edge: any) => edge.node.status === 'DELIVERED')).toBe(true);
    const both = await store.data(CUSTOMER_ORDERS, {
      id: customerId,
      filter: { from: day(0), to: day(9), status: ['DELIVERED', 'CANCELLED'] },
    });
    expect(both.customer.orders.totalCount).toBe(2);
  });

  it('answers bad paging and filter arguments with BAD_USER_INPUT', async () => {
    for (const [variables, field] of [
      [{ first: 0 }, 'first'],
      [{ first: 101 }, 'first'],
      [{ after: 'not-a-cursor' }, 'after'],
      [{ filter: { from: day(9), to: day(5) } }, 'filter.to'],
    ] as const) {
      const response = await store.request(CUSTOMER_ORDERS, { id: customerId, ...variables });
      expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(response.errors?.[0]?.extensions?.fields?.[0]?.field).toBe(field);
    }
  });

  it('shows another store nothing of this customer, even asked through the subgraph directly', async () => {
    // The gateway refuses `_entities`; the subgraph must scope it by the token's store itself.
    const entities = `query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Customer { orders { totalCount } } } }`;
    const ask = async (token: string) => {
      const response = await fetch(graph.graph.subgraphs['commerce-history']!.url, {
        method: 'POST',
        headers: await graph.subgraphHeaders(token),
        body: JSON.stringify({ query: entities, variables: { reps: [{ __typename: 'Customer', id: customerId }] } }),
      });
      return ((await response.json()) as any).data._entities[0].orders.totalCount;
    };
    expect(await ask(store.token)).toBe(28);
    expect(await ask(other.token)).toBe(0);
  });

  it('costs one statement per relation whatever the number of customers', async () => {
    const batch = await graph.createStore('Batch');
    for (let c = 0; c < 6; c += 1) {
      const id = await newCustomer(batch, `Batch${c}`);
      for (let i = 0; i < 3; i += 1) await record(batch, orderInput(id));
    }
    const query = /* GraphQL */ `
      {
        customers(first: 10) {
          edges {
            node {
              id
              orders(first: 10) {
                totalCount
                edges {
                  node {
                    id
                    items {
                      name
                    }
                    statusHistory {
                      toStatus
                    }
                    requests {
                      type
                    }
                    payments {
                      id
                    }
                  }
                }
              }
            }
          }
        }
      }
    `;
    await batch.data(query); // warm the pools: a new connection costs one extra type query
    let data: any;
    const counts = await graph.countStatements(async () => {
      data = await batch.data(query);
    });
    expect(data.customers.edges).toHaveLength(6);
    expect(data.customers.edges.every((edge: any) => edge.node.orders.totalCount === 3)).toBe(true);
    // orders, items, status history, requests, payments
    expect(counts['commerce-history']).toBe(5);
  });
});

describe('order requests (O4)', () => {
  it('creates requests, refuses a second open one of a type and filters orders by request type', async () => {
    const customerId = await newCustomer(store, 'Returner');
    const kept = await record(store, orderInput(customerId));
    const returned = await record(store, orderInput(customerId));
    const { createOrderRequest } = await store.data(CREATE_REQUEST, {
      orderId: returned.id,
      type: 'RETURN',
      reason: 'Too small',
      units: 1,
    });
    expect(createOrderRequest).toMatchObject({
      type: 'RETURN',
      status: 'REQUESTED',
      reason: 'Too small',
      units: 1,
      order: { id: returned.id },
    });

    const again = await store.request(CREATE_REQUEST, { orderId: returned.id, type: 'RETURN' });
    expect(again.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    const tooMany = await store.request(CREATE_REQUEST, { orderId: kept.id, type: 'RETURN', units: 4 });
    expect(tooMany.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('units');
    const elsewhere = await other.request(CREATE_REQUEST, { orderId: kept.id, type: 'CANCELLATION' });
    expect(elsewhere.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');

    const returns = await store.data(CUSTOMER_ORDERS, { id: customerId, filter: { requestType: 'RETURN' } });
    expect(returns.customer.orders.edges.map((edge: any) => edge.node.id)).toEqual([returned.id]);
    const cancellations = await store.data(CUSTOMER_ORDERS, {
      id: customerId,
      filter: { requestType: 'CANCELLATION' },
    });
    expect(cancellations.customer.orders.totalCount).toBe(0);
  });

  it('moves a request through its statuses; a completed cancellation cancels the order', async () => {
    const order = await record(store, orderInput(await newCustomer(store, 'Canceller')));
    const { createOrderRequest } = await store.data(CREATE_REQUEST, { orderId: order.id, type: 'CANCELLATION' });
    const skip = await store.request(UPDATE_REQUEST, { id: createOrderRequest.id, status: 'COMPLETED' });
    expect(skip.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    await store.data(UPDATE_REQUEST, { id: createOrderRequest.id, status: 'APPROVED' });
    const done = await store.data(UPDATE_REQUEST, { id: createOrderRequest.id, status: 'COMPLETED', note: 'Refunded' });
    expect(done.updateOrderRequestStatus).toMatchObject({ status: 'COMPLETED', note: 'Refunded' });
    const { order: after } = await store.data(
      `query($id: ID!) { order(id: $id) { status statusHistory { toStatus } requests { type status } } }`,
      { id: order.id },
    );
    expect(after.status).toBe('CANCELLED');
    expect(after.statusHistory.map((step: any) => step.toStatus)).toEqual(['NEW', 'CANCELLED']);
    expect(after.requests).toEqual([{ type: 'CANCELLATION', status: 'COMPLETED' }]);
    const late = await store.request(CREATE_REQUEST, { orderId: order.id, type: 'RETURN' });
    expect(late.errors?.[0]?.extensions?.code).toBe('CONFLICT');
  });

  it('adds up partial returns, refuses more than is left and marks the order RETURNED when all is back', async () => {
    const order = await record(store, orderInput(await newCustomer(store, 'Partial')));
    const complete = async (units: number | null) => {
      const { createOrderRequest } = await store.data(CREATE_REQUEST, { orderId: order.id, type: 'RETURN', units });
      await store.data(UPDATE_REQUEST, { id: createOrderRequest.id, status: 'APPROVED' });
      await store.data(UPDATE_REQUEST, { id: createOrderRequest.id, status: 'COMPLETED' });
    };
    await complete(2);
    const status = async () =>
      (await store.data(`query($id: ID!) { order(id: $id) { status } }`, { id: order.id })).order.status;
    expect(await status()).toBe('NEW');
    const tooMany = await store.request(CREATE_REQUEST, { orderId: order.id, type: 'RETURN', units: 2 });
    expect(tooMany.errors?.[0]?.extensions?.fields).toEqual([
      { field: 'units', message: 'must not exceed the 1 unit not returned or cancelled yet' },
    ]);
    await complete(null);
    expect(await status()).toBe('RETURNED');

    const events = await graph.graph.subgraphs['commerce-history']!.db.sql`
      select type, payload from commerce_history.outbox
      where payload->>'orderId' = ${order.id} and type in ('order.return_recorded', 'order.status_changed') order by seq`;
    expect(events.map((row) => [row.type, row.payload.units, row.payload.returnedUnits])).toEqual([
      ['order.return_recorded', 2, { from: 0, to: 2 }],
      // A return "of the whole order" after a partial one takes back the rest.
      ['order.return_recorded', 1, { from: 2, to: 3 }],
      ['order.status_changed', 3, { from: 3, to: 3 }],
    ]);
  });
});

describe('events recorded with the change', () => {
  it('announces each coupon a recorded order redeemed once, with its discount, and a recorded payment', async () => {
    const customerId = await newCustomer(store, 'Coupons');
    const order = await record(store, orderInput(customerId, { couponCodes: ['SPRING', 'VIP', 'SPRING'] }));
    await store.data(`mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }`, {
      input: {
        orderId: order.id,
        transactionCode: `TX-${order.number}`,
        method: 'CREDIT_CARD',
        amount: 4099,
        currency: 'EUR',
        status: 'COMPLETED',
      },
    });
    const events = await graph.graph.subgraphs['commerce-history']!.db.sql`
      select type, customer_id, payload from commerce_history.outbox
      where type in ('coupon.redeemed', 'payment.recorded') and (payload->>'orderId') = ${order.id} order by seq`;
    expect(events.map((row) => [row.type, row.customer_id, row.payload.code ?? row.payload.transactionCode])).toEqual([
      ['coupon.redeemed', customerId, 'SPRING'],
      ['coupon.redeemed', customerId, 'VIP'],
      ['payment.recorded', customerId, `TX-${order.number}`],
    ]);
    expect(events[0]!.payload).toMatchObject({
      couponId: coupons.SPRING,
      discount: 100,
      orderNumber: order.number,
      orderDiscount: 700,
      currency: 'EUR',
    });
    expect(events[2]!.payload).toMatchObject({
      orderNumber: order.number,
      amount: 4099,
      method: 'credit_card',
      status: 'completed',
    });
  });
});
