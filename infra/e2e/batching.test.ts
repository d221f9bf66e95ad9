import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

/** A customer list with a column from each other subgraph, as a list screen renders it. */
const LIST = /* GraphQL */ `
  query List($search: String) {
    customers(first: 100, filter: { search: $search }) {
      totalCount
      edges {
        node {
          id
          fullName
          orders {
            totalCount
          }
          wallet {
            balance {
              amount
              currency
            }
          }
          permissions(filter: { status: GRANTED }) {
            totalCount
            edges {
              node {
                type
              }
            }
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Batch store', { currency: 'EUR' });
  // Five customers named "Few", forty-five named "Many": both groups share the search prefix "batch".
  const customers = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      store.createCustomer({
        firstName: i < 5 ? 'Batch-Few' : 'Batch-Many',
        lastName: `No${i}`,
        email: `batch${i}@example.com`,
      }),
    ),
  );
  const coupon = await store.createCoupon({ code: 'BATCH', amount: 100 });
  await Promise.all(
    customers.map(async ({ id }) => {
      await store.recordOrder({ customerId: id, channel: 'POS', couponCodes: [coupon.code], discount: 100 });
      await store.data(
        `mutation($id: ID!) {
          adjustWallet(input: { customerId: $id, amount: 1000, currency: "EUR", reason: "Welcome" }) { entry { id } }
          grantPermission(input: { customerId: $id, channel: EMAIL, source: REGISTRATION }) { id }
        }`,
        { id },
      );
    }),
  );
});
afterAll(() => graph?.close());

it('lists 50 customers with order count, wallet balance and permissions in as many statements as 5', async () => {
  let few: any;
  let many: any;
  const fewStatements = await graph.countStatements(async () => {
    few = await store.data(LIST, { search: 'batch-few' });
  });
  const manyStatements = await graph.countStatements(async () => {
    many = await store.data(LIST, { search: 'batch' });
  });

  expect(few.customers.edges).toHaveLength(5);
  expect(many.customers.edges).toHaveLength(50);
  for (const { node } of many.customers.edges) {
    expect(node.orders.totalCount).toBe(1);
    expect(node.wallet.balance).toEqual({ amount: 1000, currency: 'EUR' });
    expect(node.permissions.edges).toEqual([{ node: { type: 'EMAIL' } }]);
  }
  expect(manyStatements).toEqual(fewStatements);
  // One list + one count in the customer subgraph; one statement per relation elsewhere.
  expect(fewStatements).toEqual({ customer: 2, 'commerce-history': 1, engagement: 1, consent: 1 });
});

/** The commerce sections of the customer detail (O6, O7, O8, O9), for every customer of a list. */
const COMMERCE_SECTIONS = /* GraphQL */ `
  query Sections($search: String) {
    customers(first: 50, filter: { search: $search }) {
      edges {
        node {
          id
          campaigns {
            orderCount
            campaign {
              name
            }
          }
          coupons(first: 5) {
            totalCount
            edges {
              node {
                coupon {
                  code
                  usageLimit
                }
                timesUsed
                discountReceived {
                  amount
                }
              }
            }
          }
          purchasedProducts(first: 5) {
            totalCount
            edges {
              node {
                productId
                units
              }
            }
          }
          logs(first: 5) {
            totalCount
            edges {
              node {
                event
                orderNumber
              }
            }
          }
        }
      }
    }
  }
`;

it('lists the campaigns, coupons, purchased products and logs of 50 customers in as many statements as of 5', async () => {
  let few: any;
  let many: any;
  const fewStatements = await graph.countStatements(async () => {
    few = await store.data(COMMERCE_SECTIONS, { search: 'batch-few' });
  });
  const manyStatements = await graph.countStatements(async () => {
    many = await store.data(COMMERCE_SECTIONS, { search: 'batch' });
  });

  expect(few.customers.edges).toHaveLength(5);
  expect(many.customers.edges).toHaveLength(50);
  for (const { node } of many.customers.edges) {
    expect(node.campaigns).toEqual([]);
    expect(node.coupons.edges).toEqual([
      { node: { coupon: { code: 'BATCH', usageLimit: null }, timesUsed: 1, discountReceived: { amount: 100 } } },
    ]);
    expect(node.purchasedProducts.edges).toEqual([{ node: { productId: 'p', units: 1 } }]);
    expect(node.logs.edges).toEqual([{ node: { event: 'RECORDED', orderNumber: expect.any(String) } }]);
  }
  expect(manyStatements).toEqual(fewStatements);
  // The customer list (no count asked); in commerce-history one statement per relation.
  expect(fewStatements).toEqual({ customer: 1, 'commerce-history': 4, engagement: 0, consent: 0 });
});
