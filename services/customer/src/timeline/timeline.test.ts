import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

let graph: TestGraph;
let store: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Timeline store', { currency: 'EUR' });
});
afterAll(() => graph?.close());

const TIMELINE = /* GraphQL */ `
  query ($id: ID!, $after: String) {
    customer(id: $id) {
      timeline(first: 10, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          node {
            kind
            summary
            actor
            data
            order {
              id
            }
          }
        }
      }
    }
  }
`;

it('lists orders and staff actions newest first, as a connection', async () => {
  const id = (await store.createCustomer({ firstName: 'Tim', lastName: 'Line', email: 'tim@line.example' })).id;
  await store.data(
    `mutation($id: ID!) { updateCustomer(id: $id, input: { firstName: "Timothy", notes: "Prefers phone calls" }) { id } }`,
    { id },
  );
  await store.data(
    `mutation($id: ID!) { addAddress(customerId: $id, input: { kind: DELIVERY, recipient: "Tim", line1: "1 Line St", city: "Leeds", country: "GB" }) { id } }`,
    { id },
  );
  const orderId = (
    await store.recordOrder({
      customerId: id,
      unitPrice: 1234,
      platform: 'web-shop',
      receiptNumber: 'R-77',
      placedAt: new Date().toISOString(),
    })
  ).id;
  await store.data(`mutation($id: ID!) { updateOrderStatus(id: $id, status: DELIVERED) { id } }`, { id: orderId });
  await store.data(
    `mutation($id: ID!) { adjustWallet(input: { customerId: $id, amount: 500, currency: "EUR", reason: "Apology" }) { entry { id } } }`,
    { id },
  );
  await store.data(`mutation($id: ID!) { updateCustomer(id: $id, input: { status: BLOCKED }) { id } }`, { id });

  const entries = await eventually(async () => {
    const { customer } = await store.data(TIMELINE, { id });
    expect(customer.timeline.totalCount).toBe(8);
    return customer.timeline.edges.map((edge: any) => edge.node);
  });
  const kinds = entries.map((entry: any) => entry.kind).sort();
  expect(kinds).toEqual(['ADDRESS', 'BALANCE', 'CREATED', 'EDITED', 'NOTE', 'ORDER', 'ORDER_STATUS', 'STATUS_CHANGED']);
  const order = entries.find((entry: any) => entry.kind === 'ORDER');
  expect(order.summary).toMatch(/^Order TST\d{7} placed on web-shop \(receipt R-77\): 12\.34 EUR$/);
  expect(order.data).toMatchObject({ platform: 'web-shop', receiptNumber: 'R-77' });
  expect(order.order).toEqual({ id: orderId });
  const edited = entries.find((entry: any) => entry.kind === 'EDITED');
  expect(edited.data).toEqual({ changes: { firstName: { before: 'Tim', after: 'Timothy' } } });
  expect(edited.actor).toBe(store.ownerId);
  expect(entries.find((entry: any) => entry.kind === 'BALANCE').actor).toBe(store.ownerId);
  expect(entries.find((entry: any) => entry.kind === 'STATUS_CHANGED').summary).toBe('Blocked');
  expect(entries.at(-1).kind).toBe('CREATED');
});

it('filters by kind and shows another store nothing', async () => {
  const id = (await store.createCustomer({ firstName: 'Kim', lastName: 'Kind', email: 'kim@line.example' })).id;
  const { customer } = await store.data(
    `query($id: ID!) { customer(id: $id) { timeline(kinds: [ORDER]) { totalCount } } }`,
    { id },
  );
  expect(customer.timeline.totalCount).toBe(0);
  const other = await graph.createStore();
  expect((await other.data(`query($id: ID!) { customer(id: $id) { id } }`, { id })).customer).toBeNull();
});
