import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const PRODUCTS = /* GraphQL */ `
  query Products($id: ID!, $sort: PurchasedProductSort, $direction: SortDirection, $first: Int, $after: String) {
    customer(id: $id) {
      purchasedProducts(sort: $sort, direction: $direction, first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            productId
            sku
            name
            orders
            units
            returnedUnits
            amount {
              amount
              currency
            }
            lastPurchasedAt
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let customerId: string;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Purchased products', { currency: 'EUR' });
  customerId = (await store.createCustomer({ firstName: 'Buyer' })).id;
  const first = await store.recordOrder({
    customerId,
    placedAt: '2024-03-01T10:00:00.000Z',
    items: [
      { productId: 'p-1', sku: 'SKU-1', name: 'Shirt', quantity: 3, unitPrice: 1000 },
      { productId: 'p-2', name: 'Hat', quantity: 1, unitPrice: 500 },
    ],
  });
  // 2 of its 4 units back: 3 × 2 / 4 = 1.5 and 1 × 2 / 4 = 0.5; the unit left goes to the first line.
  await store.completeReturn(first.id, 2);
  await store.recordOrder({
    customerId,
    placedAt: '2024-03-05T10:00:00.000Z',
    items: [{ productId: 'p-1', sku: 'SKU-1', name: 'Shirt v2', quantity: 1, unitPrice: 1000 }],
  });
  const cancelled = await store.recordOrder({
    customerId,
    items: [{ productId: 'p-3', name: 'Cancelled', quantity: 5, unitPrice: 100 }],
  });
  await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: CANCELLED) { id } }`, { id: cancelled.id });
  const returned = await store.recordOrder({
    customerId,
    items: [{ productId: 'p-4', name: 'Returned', quantity: 2, unitPrice: 100 }],
  });
  await store.completeReturn(returned.id, null);
});
afterAll(() => graph?.close());

const products = async (variables: Record<string, unknown>) =>
  (await store.data(PRODUCTS, { id: customerId, ...variables })).customer.purchasedProducts;

describe('Customer.purchasedProducts (O6)', () => {
  it('adds up the purchases per product, units net of returns allocated to the lines', async () => {
    const list = await products({});
    expect(list.totalCount).toBe(2);
    expect(list.edges.map((edge: any) => edge.node)).toEqual([
      {
        productId: 'p-1',
        sku: 'SKU-1',
        name: 'Shirt v2',
        orders: 2,
        units: 2,
        returnedUnits: 2,
        amount: { amount: 4000, currency: 'EUR' },
        lastPurchasedAt: '2024-03-05T10:00:00.000Z',
      },
      {
        productId: 'p-2',
        sku: null,
        name: 'Hat',
        orders: 1,
        units: 1,
        returnedUnits: 0,
        amount: { amount: 500, currency: 'EUR' },
        lastPurchasedAt: '2024-03-01T10:00:00.000Z',
      },
    ]);
  });

  it('counts units net of partial cancellations too, allocated to the lines with the returns', async () => {
    const buyer = (await store.createCustomer({ firstName: 'Canceller' })).id;
    const order = await store.recordOrder({
      customerId: buyer,
      items: [
        { productId: 'p-5', name: 'Socks', quantity: 3, unitPrice: 100 },
        { productId: 'p-6', name: 'Scarf', quantity: 1, unitPrice: 100 },
      ],
    });
    await store.completeReturn(order.id, 1);
    // 1 returned and 1 cancelled of 4: 3 × 2 / 4 = 1.5 and 1 × 2 / 4 = 0.5; the tie goes to the first line.
    await store.completeCancellation(order.id, 1);
    const list = (await store.data(PRODUCTS, { id: buyer, sort: 'AMOUNT' })).customer.purchasedProducts;
    expect(list.edges.map((edge: any) => [edge.node.productId, edge.node.units, edge.node.returnedUnits])).toEqual([
      ['p-5', 1, 1],
      ['p-6', 1, 0],
    ]);
  });

  it('sorts by amount or last purchase and pages with a cursor', async () => {
    const byAmount = await products({ sort: 'AMOUNT', direction: 'ASC' });
    expect(byAmount.edges.map((edge: any) => edge.node.productId)).toEqual(['p-2', 'p-1']);
    const byDate = await products({ sort: 'LAST_PURCHASE' });
    expect(byDate.edges.map((edge: any) => edge.node.productId)).toEqual(['p-1', 'p-2']);

    const page = await products({ sort: 'AMOUNT', first: 1 });
    expect(page.pageInfo.hasNextPage).toBe(true);
    const next = await products({ sort: 'AMOUNT', first: 1, after: page.pageInfo.endCursor });
    expect([page, next].map((p: any) => p.edges[0].node.productId)).toEqual(['p-1', 'p-2']);
    expect(next.pageInfo.hasNextPage).toBe(false);

    // A cursor of another sort is not one of this list.
    const wrong = await store.request(PRODUCTS, { id: customerId, sort: 'UNITS', after: page.pageInfo.endCursor });
    expect(wrong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});
