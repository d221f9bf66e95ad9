import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent, toDomainEvent } from '@cg/events';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { customerSubgraph } from '../index.ts';

let graph: TestGraph;
let store: TestStore;
let seq = 0;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Projection store', { currency: 'EUR' });
});
afterAll(() => graph?.close());

async function newCustomer(name: string): Promise<string> {
  const { createCustomer } = await store.data(
    `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
    { input: { firstName: name, lastName: 'Projection', email: `${name.toLowerCase()}@projection.example` } },
  );
  return createCustomer.id;
}

async function recordOrder(customerId: string, unitPrice: number, extra: Record<string, unknown> = {}) {
  seq += 1;
  const { recordOrder } = await store.data(
    `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { id total { amount } } }`,
    {
      input: {
        number: `PRJ${String(seq).padStart(7, '0')}`,
        customerId,
        channel: 'WEB',
        currency: 'EUR',
        items: [{ productId: 'p', name: 'Product', quantity: 2, unitPrice }],
        ...extra,
      },
    },
  );
  return recordOrder as { id: string; total: { amount: number } };
}

const METRICS = /* GraphQL */ `
  query($id: ID!) { customer(id: $id) { metrics { orderCount totalSpent { amount currency } units returnedUnits
    promoCodeOrders lastOrderAt walletBalance { amount currency } } } }`;

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
  it('moves a customer up the list sorted by total spent when an order is recorded', async () => {
    const small = await newCustomer('Small');
    const big = await newCustomer('Big');
    await recordOrder(small, 1000);
    await eventually(async () => expect((await metricsOf(small)).orderCount).toBe(1));
    expect((await topBySpend())[0]).toBe(small);

    await recordOrder(big, 5000, { couponCodes: ['SPRING'] });
    await eventually(async () => expect((await topBySpend())[0]).toBe(big));
    expect(await metricsOf(big)).toMatchObject({
      orderCount: 1,
      totalSpent: { amount: 10000, currency: 'EUR' },
      units: 2,
      promoCodeOrders: 1,
    });
  });

  it('takes a cancelled order back out and counts a return', async () => {
    const id = await newCustomer('Returner');
    const kept = await recordOrder(id, 1500);
    const cancelled = await recordOrder(id, 2500);
    await eventually(async () => expect((await metricsOf(id)).orderCount).toBe(2));
    await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED) { id } }`, { id: cancelled.id });
    await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: RETURNED) { id } }`, { id: kept.id });
    await eventually(async () =>
      expect(await metricsOf(id)).toMatchObject({ orderCount: 0, totalSpent: { amount: 0 }, units: 0, returnedUnits: 2 }),
    );
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
    await eventually(async () => expect((await metricsOf(id)).walletBalance).toEqual({ amount: 2500, currency: 'EUR' }));
  });

  it('applies the same event twice with no further effect', async () => {
    const id = await newCustomer('Twice');
    await recordOrder(id, 700);
    await eventually(async () => expect((await metricsOf(id)).orderCount).toBe(1));
    const commerce = graph.graph.subgraphs['commerce-history']!;
    const [row] = await commerce.db.sql`select * from commerce_history.outbox where customer_id = ${id} and type = 'order.recorded' order by seq desc limit 1`;
    const event = toDomainEvent('commerce-history', {
      seq: Number(row!.seq),
      id: row!.id,
      type: row!.type,
      storeId: row!.store_id,
      customerId: row!.customer_id,
      payload: row!.payload,
      occurredAt: new Date(row!.occurred_at),
      publishedAt: row!.published_at,
    });
    const customerDb = graph.graph.subgraphs.customer.db;
    expect(await applyEvent(customerDb, customerSubgraph.events!.consumer!, event)).toBe(false);
    expect(await applyEvent(customerDb, customerSubgraph.events!.consumer!, event)).toBe(false);
    expect((await metricsOf(id)).orderCount).toBe(1);
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
