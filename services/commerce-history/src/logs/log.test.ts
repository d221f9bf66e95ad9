import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const LOGS = /* GraphQL */ `
  query Logs($id: ID!, $kind: LogKind, $first: Int, $after: String) {
    customer(id: $id) {
      logs(kind: $kind, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            id
            kind
            event
            orderNumber
            transactionCode
            fromOrderStatus
            toOrderStatus
            fromPaymentStatus
            toPaymentStatus
            requestType
            units
            note
            actor
            ip
            createdAt
            order {
              number
            }
            payment {
              transactionCode
            }
          }
        }
      }
    }
  }
`;
const PAY = /* GraphQL */ `
  mutation Pay($input: RecordPaymentInput!) {
    recordPayment(input: $input) {
      id
    }
  }
`;
const PAYMENT_STATUS = /* GraphQL */ `
  mutation PaymentStatus($id: ID!, $status: PaymentStatus!) {
    updatePaymentStatus(id: $id, status: $status) {
      status
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;
let sequence = 0;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Logs');
  other = await graph.createStore('Other logs');
});
afterAll(() => graph?.close());

const nextNumber = () => `L${String(++sequence).padStart(9, '0')}`;

async function pay(on: TestStore, orderId: string, paidAt?: string) {
  const input = {
    orderId,
    transactionCode: `TX-L${++sequence}`,
    method: 'CREDIT_CARD',
    amount: 1000,
    currency: on.currency,
  };
  return (await on.data(PAY, { input: { ...input, ...(paidAt ? { paidAt } : {}) } })).recordPayment.id as string;
}

const nodes = (logs: any) => logs.edges.map((edge: any) => edge.node);

describe('Customer.logs (O9)', () => {
  it('lists the order and payment events newest first, with actor and address, by kind', async () => {
    const customer = await store.createCustomer({ firstName: 'Logged' });
    const order = await store.recordOrder({
      customerId: customer.id,
      number: nextNumber(),
      quantity: 3,
      placedAt: '2024-01-01T10:00:00.000Z',
    });
    await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: IN_DELIVERY, note: "picked") { id } }`, {
      id: order.id,
    });
    await store.data(`mutation($id: ID!) { createOrderRequest(orderId: $id, type: RETURN, units: 2) { id } }`, {
      id: order.id,
    });
    const paymentId = await pay(store, order.id, '2024-01-01T10:05:00.000Z');
    await store.data(PAYMENT_STATUS, { id: paymentId, status: 'REFUNDED' });
    // The current status again changes nothing, and is not logged.
    await store.data(PAYMENT_STATUS, { id: paymentId, status: 'REFUNDED' });

    const logs = (await store.data(LOGS, { id: customer.id })).customer.logs;
    expect(logs.totalCount).toBe(5);
    const entries = nodes(logs);
    expect(
      entries.map((entry: any) => [
        entry.kind,
        entry.event,
        entry.toOrderStatus ?? entry.toPaymentStatus ?? entry.requestType,
      ]),
    ).toEqual([
      ['PAYMENT', 'STATUS_CHANGED', 'REFUNDED'],
      ['ORDER', 'REQUESTED', 'RETURN'],
      ['ORDER', 'STATUS_CHANGED', 'IN_DELIVERY'],
      ['PAYMENT', 'RECORDED', 'COMPLETED'],
      ['ORDER', 'RECORDED', 'NEW'],
    ]);
    expect(entries[0]).toMatchObject({
      orderNumber: order.number,
      transactionCode: expect.stringMatching(/^TX-L/),
      fromPaymentStatus: 'COMPLETED',
      fromOrderStatus: null,
      order: { number: order.number },
      payment: { transactionCode: entries[0].transactionCode },
      actor: store.ownerId,
      ip: expect.stringMatching(/^[\d.:a-f]+$/),
    });
    expect(entries[1]).toMatchObject({ units: 2, payment: null, transactionCode: null, actor: store.ownerId });
    expect(entries[2]).toMatchObject({ fromOrderStatus: 'NEW', note: 'picked' });
    expect(entries[3]).toMatchObject({ createdAt: '2024-01-01T10:05:00.000Z', fromPaymentStatus: null });
    expect(entries[4]).toMatchObject({ createdAt: '2024-01-01T10:00:00.000Z', fromOrderStatus: null });
    for (const entry of entries) expect(entry.ip).not.toBeNull();

    const orderLogs = (await store.data(LOGS, { id: customer.id, kind: 'ORDER' })).customer.logs;
    expect(orderLogs.totalCount).toBe(3);
    expect(nodes(orderLogs).every((entry: any) => entry.kind === 'ORDER')).toBe(true);
    const paymentLogs = (await store.data(LOGS, { id: customer.id, kind: 'PAYMENT' })).customer.logs;
    expect(nodes(paymentLogs).map((entry: any) => entry.event)).toEqual(['STATUS_CHANGED', 'RECORDED']);

    // Another store sees nothing of it.
    expect((await other.data(LOGS, { id: customer.id })).customer).toBeNull();
  });

  it('pages with a keyset cursor, ties broken by id', async () => {
    const customer = await store.createCustomer({ firstName: 'Paged' });
    const placedAt = '2024-02-01T00:00:00.000Z';
    // Three orders and their payments at the same instant: ties everywhere.
    for (let i = 0; i < 3; i += 1) {
      const order = await store.recordOrder({ customerId: customer.id, number: nextNumber(), placedAt });
      await pay(store, order.id, placedAt);
    }
    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 3; page += 1) {
      const logs: any = (await store.data(LOGS, { id: customer.id, first: 2, after })).customer.logs;
      expect(logs.totalCount).toBe(6);
      seen.push(...nodes(logs).map((entry: any) => entry.id));
      expect(logs.pageInfo.hasNextPage).toBe(page < 2);
      after = logs.pageInfo.endCursor;
    }
    expect(new Set(seen).size).toBe(6);
    expect(seen).toEqual([...seen].sort().reverse());

    const bad = await store.request(LOGS, { id: customer.id, after: 'not-a-cursor' });
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.errors?.[0]?.extensions?.fields?.[0]?.field).toBe('after');
  });

  it('masks addresses for staff without PERSONAL_DATA_READ; a customer sees their own log without internal fields', async () => {
    const buyer = await store.createCustomer({ firstName: 'Own' });
    const stranger = await store.createCustomer({ firstName: 'Stranger' });
    const order = await store.recordOrder({ customerId: buyer.id, number: nextNumber() });
    await pay(store, order.id);
    await store.recordOrder({ customerId: stranger.id, number: nextNumber() });

    const full = nodes((await store.data(LOGS, { id: buyer.id })).customer.logs);
    const viewer = await store.staff(`viewer-${++sequence}`, { actions: ['CUSTOMERS_READ'] });
    const masked = await graph.request(LOGS, { id: buyer.id }, { token: viewer });
    expect(masked.errors).toBeUndefined();
    const maskedEntries = nodes(masked.data.customer.logs);
    expect(maskedEntries).toHaveLength(2);
    for (const [index, entry] of maskedEntries.entries()) {
      expect(entry.ip).not.toBe(full[index].ip);
      expect(entry.ip).toContain('***');
      expect(entry.actor).toBe(store.ownerId);
    }

    const token = await signToken({ kind: 'customer', userId: buyer.id, storeId: store.id });
    const own = await graph.request(LOGS, { id: buyer.id }, { token });
    expect(own.errors).toBeUndefined();
    const ownEntries = nodes(own.data.customer.logs);
    expect(ownEntries.map((entry: any) => entry.event)).toEqual(['RECORDED', 'RECORDED']);
    for (const entry of ownEntries) expect(entry).toMatchObject({ actor: null, ip: null, note: null });
    const theirs = await graph.request(LOGS, { id: stranger.id }, { token });
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data.customer).toBeNull();
  });
});

describe('The customer detail with logs and purchased products', () => {
  it('costs one statement per relation for 5 customers as for 50', async () => {
    const query = `query($first: Int!) { customers(first: $first) { edges { node { id
      logs(first: 5) { totalCount edges { node { id event ip order { number } payment { transactionCode } } } }
      orderLogs: logs(kind: ORDER) { totalCount }
      purchasedProducts(first: 5) { totalCount edges { node { productId units amount { amount } } } } } } } }`;
    const counts: Record<string, number>[] = [];
    for (const size of [5, 50]) {
      const batch = await graph.createStore(`Log batch ${size}`);
      for (let c = 0; c < size; c += 1) {
        const customer = await batch.createCustomer({ firstName: `Batch${c}` });
        const order = await batch.recordOrder({ customerId: customer.id, number: nextNumber() });
        await pay(batch, order.id);
      }
      await batch.data(query, { first: size }); // warm the pools: a new connection costs one extra type query
      let data: any;
      counts.push(
        await graph.countStatements(async () => {
          data = await batch.data(query, { first: size });
        }),
      );
      const customers = data.customers.edges.map((edge: any) => edge.node);
      expect(customers).toHaveLength(size);
      for (const customer of customers) {
        expect(customer.logs.totalCount).toBe(2);
        expect(customer.orderLogs.totalCount).toBe(1);
        expect(customer.purchasedProducts.totalCount).toBe(1);
        expect(customer.logs.edges[0].node.payment.transactionCode).toMatch(/^TX-L/);
      }
    }
    // logs, logs(kind: ORDER), their orders, their payments, purchased products.
    expect(counts[0]!['commerce-history']).toBe(5);
    expect(counts[1]!['commerce-history']).toBe(5);
  });
});
