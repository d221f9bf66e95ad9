import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGraph, type OrderFields, type TestGraph, type TestStore } from '@cg/testing';

const LIST = /* GraphQL */ `
  query ($tab: CustomerTab, $filter: CustomerFilter, $sort: CustomerSort, $first: Int, $after: String) {
    customers(tab: $tab, filter: $filter, sort: $sort, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          firstName
          createdAt
          metrics {
            orderCount
            returnedUnits
            promoCodeOrders
            totalSpent {
              amount
            }
            discountReceived {
              amount
            }
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
const NAMES = ['Ada', 'Bora', 'Cansu', 'Deniz', 'Ece', 'Fikret', 'Gül', 'Hakan', 'Ilgaz', 'Jale', 'Kaan', 'Lale'];
const id: Record<string, string> = {};

/**
 * Twelve customers (more than a page of ten):
 *   Ada    3 orders of 10.00                       total 30.00
 *   Bora   1 order of 90.00 with BIG, 5.00 off     total 85.00, discount 5.00, 1 promo order
 *   Cansu  20.00 with SPRING, 2.00 off, and 10.00  total 28.00, discount 2.00, 1 promo order
 *   Deniz  a returned order of 3 units             nothing spent, 3 returned units
 *   Ece    5.00, and a returned order of 1 unit    total 5.00, 1 returned unit
 *   Fikret 15.00 with 1.00 off, no promo code      total 14.00, no discount received (not a coupon's, O8)
 *   the other six: no orders
 */
beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Tabs store', { currency: 'EUR' });
  for (const [index, name] of NAMES.entries()) {
    id[name] = (
      await store.createCustomer({
        firstName: name,
        lastName: 'Tab',
        email: `customer${index}@tabs.example`,
      })
    ).id;
  }
  await store.createCoupon({ code: 'BIG', amount: 500 });
  await store.createCoupon({ code: 'SPRING', amount: 200 });
  const order = (name: string, fields: OrderFields) => store.recordOrder({ customerId: id[name]!, ...fields });
  await Promise.all([
    order('Ada', { unitPrice: 1000 }),
    order('Ada', { unitPrice: 1000 }),
    order('Ada', { unitPrice: 1000 }),
    order('Bora', { unitPrice: 9000, discount: 500, couponCodes: ['BIG'] }),
    order('Cansu', { unitPrice: 2000, discount: 200, couponCodes: ['SPRING'] }),
    order('Cansu', { unitPrice: 1000 }),
    order('Deniz', { unitPrice: 1000, quantity: 3, status: 'RETURNED' }),
    order('Ece', { unitPrice: 500 }),
    order('Ece', { unitPrice: 700, status: 'RETURNED' }),
    order('Fikret', { unitPrice: 1500, discount: 100 }),
  ]);
  await store.data(
    `mutation($a: ID!, $d: ID!) { a: watchCustomer(customerId: $a) { id } d: watchCustomer(customerId: $d) { id } }`,
    {
      a: id.Ada,
      d: id.Deniz,
    },
  );
  await eventually(async () => {
    const { customers } = await store.data(LIST, { first: 50 });
    const sum = (pick: (m: any) => number) =>
      customers.edges.reduce((total: number, edge: any) => total + pick(edge.node.metrics), 0);
    expect([sum((m) => m.orderCount), sum((m) => m.returnedUnits), sum((m) => m.promoCodeOrders)]).toEqual([8, 4, 2]);
  });
});
afterAll(() => graph?.close());

/** Every page of a tab, ten at a time, checking totalCount on each page. */
async function tab(variables: Record<string, unknown>) {
  const nodes: any[] = [];
  const totals = new Set<number>();
  let after: string | null = null;
  for (;;) {
    const { customers }: { customers: any } = await store.data(LIST, { ...variables, first: 10, after });
    totals.add(customers.totalCount);
    nodes.push(...customers.edges.map((edge: any) => edge.node));
    if (!customers.pageInfo.hasNextPage) break;
    after = customers.pageInfo.endCursor;
  }
  expect(totals.size).toBe(1);
  const [totalCount] = totals;
  expect(totalCount).toBe(nodes.length);
  return nodes;
}

/** The expected order of a metric sort: the metric descending, then the id descending. */
function byMetricDesc(nodes: any[], metric: (node: any) => number): string[] {
  return [...nodes]
    .sort((a, b) => metric(b) - metric(a) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0))
    .map((node) => node.firstName);
}

const names = (nodes: any[]): string[] => nodes.map((node) => node.firstName);

describe('value tabs (C8)', () => {
  it('ALL lists every customer once, newest member first, across pages', async () => {
    const nodes = await tab({ tab: 'ALL' });
    expect(names(nodes)).toEqual([...NAMES].reverse());
  });

  it('HIGHEST_VALUE sorts everyone by total spent, across pages', async () => {
    const nodes = await tab({ tab: 'HIGHEST_VALUE' });
    expect(nodes).toHaveLength(12);
    expect(names(nodes).slice(0, 5)).toEqual(['Bora', 'Ada', 'Cansu', 'Fikret', 'Ece']);
    expect(names(nodes)).toEqual(byMetricDesc(nodes, (node) => node.metrics.totalSpent?.amount ?? 0));
  });

  it('MOST_ORDERS sorts everyone by order count', async () => {
    const nodes = await tab({ tab: 'MOST_ORDERS' });
    expect(nodes).toHaveLength(12);
    expect(names(nodes).slice(0, 2)).toEqual(['Ada', 'Cansu']);
    expect(new Set(names(nodes).slice(2, 5))).toEqual(new Set(['Bora', 'Ece', 'Fikret']));
    expect(names(nodes)).toEqual(byMetricDesc(nodes, (node) => node.metrics.orderCount));
  });

  it('MOST_RETURNED_UNITS lists only customers who returned something, most first', async () => {
    const nodes = await tab({ tab: 'MOST_RETURNED_UNITS' });
    expect(names(nodes)).toEqual(['Deniz', 'Ece']);
    expect(nodes.map((node) => node.metrics.returnedUnits)).toEqual([3, 1]);
  });

  it('PROMO_CODE_USERS lists promo-code buyers by discount received', async () => {
    const nodes = await tab({ tab: 'PROMO_CODE_USERS' });
    expect(names(nodes)).toEqual(['Bora', 'Cansu']);
    expect(nodes.map((node) => node.metrics.discountReceived.amount)).toEqual([500, 200]);
  });

  it('WATCHLIST lists the watched customers', async () => {
    expect(new Set(names(await tab({ tab: 'WATCHLIST' })))).toEqual(new Set(['Ada', 'Deniz']));
  });

  it('ANDs an explicit filter with the tab’s and lets an explicit sort replace the tab’s', async () => {
    expect(names(await tab({ tab: 'HIGHEST_VALUE', filter: { minOrders: 2 } }))).toEqual(['Ada', 'Cansu']);
    expect(names(await tab({ tab: 'MOST_RETURNED_UNITS', filter: { watched: true } }))).toEqual(['Deniz']);
    expect(names(await tab({ tab: 'HIGHEST_VALUE', sort: { field: 'NAME', direction: 'ASC' } }))).toEqual(NAMES);
    expect(names(await tab({ tab: 'PROMO_CODE_USERS', sort: { field: 'NAME', direction: 'DESC' } }))).toEqual([
      'Cansu',
      'Bora',
    ]);
  });

  it('sorts the whole list by discount received', async () => {
    const nodes = await tab({ sort: { field: 'DISCOUNT_RECEIVED', direction: 'DESC' } });
    expect(names(nodes).slice(0, 2)).toEqual(['Bora', 'Cansu']);
    // Fikret's discount came with no coupon: the promo-code figures leave it out (O8).
    expect(nodes.find((node) => node.id === id.Fikret)?.metrics.discountReceived?.amount ?? 0).toBe(0);
    expect(names(nodes)).toEqual(byMetricDesc(nodes, (node) => node.metrics.discountReceived?.amount ?? 0));
  });

  it('refuses a cursor of one tab’s sort on another', async () => {
    const { customers } = await store.data(LIST, { tab: 'HIGHEST_VALUE', first: 10 });
    const response = await store.request(LIST, { tab: 'MOST_ORDERS', first: 10, after: customers.pageInfo.endCursor });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'after' }] });
  });
});
