import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const RECORD_PAYMENT = /* GraphQL */ `
  mutation Pay($input: RecordPaymentInput!) {
    recordPayment(input: $input) {
      id
      transactionCode
      method
      instrumentGroup
      provider
      institution
      status
      createdAt
      amount {
        amount
        currency
      }
      order {
        id
        number
      }
      customer {
        id
        firstName
      }
    }
  }
`;
const CUSTOMER_PAYMENTS = /* GraphQL */ `
  query CustomerPayments($id: ID!, $first: Int, $after: String) {
    customer(id: $id) {
      payments(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            transactionCode
            createdAt
            amount {
              amount
            }
            order {
              number
            }
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;
let sequence = 0;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Payments');
  other = await graph.createStore('Other payments');
});
afterAll(() => graph?.close());

const newCustomer = async (on: TestStore, name: string) => (await on.createCustomer({ firstName: name })).id;

/** A 12.00 order of the customer, or of a guest without one; its number is P and nine digits. */
function newOrder(on: TestStore, customerId: string | null) {
  const number = `P${String(++sequence).padStart(9, '0')}`;
  const buyer = customerId ? { customerId } : { guest: { email: `guest${sequence}@example.com` } };
  return on.recordOrder({ number, ...buyer, unitPrice: 1200 });
}

const paymentInput = (orderId: string, extra: Record<string, unknown> = {}) => ({
  orderId,
  transactionCode: `TX-${++sequence}`,
  method: 'CREDIT_CARD',
  instrumentGroup: 'Visa',
  provider: 'iyzico',
  institution: 'Garanti BBVA',
  amount: 1200,
  currency: 'EUR',
  ...extra,
});

describe('recordPayment (O5)', () => {
  it('records a payment of an order and copies the order’s customer', async () => {
    const customerId = await newCustomer(store, 'Paula');
    const order = await newOrder(store, customerId);
    const { recordPayment } = await store.data(RECORD_PAYMENT, {
      input: paymentInput(order.id, { paidAt: '2024-03-01T09:30:00.000Z' }),
    });
    expect(recordPayment).toMatchObject({
      method: 'CREDIT_CARD',
      instrumentGroup: 'Visa',
      provider: 'iyzico',
      institution: 'Garanti BBVA',
      status: 'COMPLETED',
      createdAt: '2024-03-01T09:30:00.000Z',
      amount: { amount: 1200, currency: 'EUR' },
      order: { id: order.id, number: order.number },
      customer: { id: customerId, firstName: 'Paula' },
    });
    const { order: withPayments } = await store.data(`query($id: ID!) { order(id: $id) { payments { id } } }`, {
      id: order.id,
    });
    expect(withPayments.payments).toEqual([{ id: recordPayment.id }]);
  });

  it('records a payment of a guest order without a customer', async () => {
    const order = await newOrder(store, null);
    const { recordPayment } = await store.data(RECORD_PAYMENT, {
      input: paymentInput(order.id, { method: 'CASH', status: 'ON_HOLD' }),
    });
    expect(recordPayment).toMatchObject({ customer: null, status: 'ON_HOLD', method: 'CASH' });
  });

  it('refuses a transaction code already used in the store', async () => {
    const order = await newOrder(store, await newCustomer(store, 'Twice'));
    const input = paymentInput(order.id);
    await store.data(RECORD_PAYMENT, { input });
    const response = await store.request(RECORD_PAYMENT, { input });
    expect(response.errors?.[0]?.extensions?.code).toBe('CONFLICT');
    expect(response.errors?.[0]?.message).toBe('Transaction code is already used');
  });

  it.each([
    ['input.currency', { currency: 'EURO' }],
    ['input.currency', { currency: 'USD' }],
    ['input.amount', { amount: -1 }],
    ['input.transactionCode', { transactionCode: '  ' }],
    ['input.ip', { ip: 'nowhere' }],
    ['input.orderId', { orderId: 'not-an-id' }],
  ])('rejects a bad %s with BAD_USER_INPUT and writes nothing', async (field, extra) => {
    const customerId = await newCustomer(store, 'Bad');
    const order = await newOrder(store, customerId);
    const response = await store.request(RECORD_PAYMENT, { input: paymentInput(order.id, extra) });
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.extensions?.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect((await store.data(CUSTOMER_PAYMENTS, { id: customerId })).customer.payments.totalCount).toBe(0);
  });

  it('does not pay another store’s order, nor show its payments', async () => {
    const order = await newOrder(store, await newCustomer(store, 'Mine'));
    const response = await other.request(RECORD_PAYMENT, { input: paymentInput(order.id) });
    expect(response.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const { recordPayment } = await store.data(RECORD_PAYMENT, { input: paymentInput(order.id) });
    expect(
      (await other.data(`query($id: ID!) { payment(id: $id) { id } }`, { id: recordPayment.id })).payment,
    ).toBeNull();
  });

  it('changes a payment’s status', async () => {
    const order = await newOrder(store, await newCustomer(store, 'Refund'));
    const { recordPayment } = await store.data(RECORD_PAYMENT, { input: paymentInput(order.id) });
    const { updatePaymentStatus } = await store.data(
      `mutation($id: ID!) { updatePaymentStatus(id: $id, status: PARTIALLY_REFUNDED) { status } }`,
      { id: recordPayment.id },
    );
    expect(updatePaymentStatus.status).toBe('PARTIALLY_REFUNDED');
  });
});

describe('Customer.payments', () => {
  it('pages a customer’s transactions newest first', async () => {
    const customerId = await newCustomer(store, 'History');
    const ids: string[] = [];
    for (let i = 0; i < 12; i += 1) {
      const order = await newOrder(store, customerId);
      const paidAt = new Date(Date.UTC(2024, 1, 1 + i)).toISOString();
      ids.push((await store.data(RECORD_PAYMENT, { input: paymentInput(order.id, { paidAt }) })).recordPayment.id);
    }
    const first = (await store.data(CUSTOMER_PAYMENTS, { id: customerId, first: 10 })).customer.payments;
    expect(first.totalCount).toBe(12);
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.edges[0].node.order.number).toMatch(/^P\d{9}$/);
    const second = (await store.data(CUSTOMER_PAYMENTS, { id: customerId, first: 10, after: first.pageInfo.endCursor }))
      .customer.payments;
    expect(second.pageInfo.hasNextPage).toBe(false);
    const seen = [...first.edges, ...second.edges].map((edge: any) => edge.node.id);
    expect(seen).toEqual([...ids].reverse());

    const bad = await store.request(CUSTOMER_PAYMENTS, { id: customerId, first: 0 });
    expect(bad.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('first');
  });

  it('costs one statement for many customers', async () => {
    const batch = await graph.createStore('Payment batch');
    for (let c = 0; c < 5; c += 1) {
      const customerId = await newCustomer(batch, `Batch${c}`);
      for (let i = 0; i < 2; i += 1) {
        const order = await newOrder(batch, customerId);
        await batch.data(RECORD_PAYMENT, { input: paymentInput(order.id) });
      }
    }
    const query = `{ customers(first: 10) { edges { node { payments(first: 10) { totalCount edges { node { id amount { amount } } } } } } } }`;
    await batch.data(query); // warm the pools: a new connection costs one extra type query
    let data: any;
    const counts = await graph.countStatements(async () => {
      data = await batch.data(query);
    });
    expect(data.customers.edges.map((edge: any) => edge.node.payments.totalCount)).toEqual([2, 2, 2, 2, 2]);
    expect(counts['commerce-history']).toBe(1);
  });
});
