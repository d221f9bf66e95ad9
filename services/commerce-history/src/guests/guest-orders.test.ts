import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, explain, planNodes, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

let graph: TestGraph;
let store: TestStore;
let other: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Guest orders');
  other = await graph.createStore('Other guest orders');
});
afterAll(() => graph?.close());

/** A guest order of 5.00; its number. */
const guestOrder = async (on: TestStore, guest: Record<string, unknown>, placedAt: string) =>
  (await on.recordOrder({ guest, unitPrice: 500, placedAt })).number;

const day = (n: number) => new Date(Date.UTC(2025, 0, 1 + n, 12)).toISOString();

const GUEST_ORDERS = /* GraphQL */ `
  query ($after: String) {
    guests(first: 10) {
      edges {
        node {
          email
          phone
          orderCount
          orders(first: 10, after: $after) {
            totalCount
            pageInfo {
              hasNextPage
              endCursor
            }
            edges {
              node {
                number
                guest {
                  email
                  phone
                }
              }
            }
          }
        }
      }
    }
  }
`;

it('lists each guest’s orders, newest first, in one commerce-history statement for the page of guests', async () => {
  const ann: string[] = [];
  for (let i = 0; i < 12; i += 1)
    ann.push(await guestOrder(store, { name: 'Ann', email: 'Ann@Guest.example' }, day(i)));
  const bob = [
    await guestOrder(store, { name: 'Bob', phone: '+44 20 7946 0555' }, day(1)),
    await guestOrder(store, { name: 'Bob', phone: '+44 20 7946 0555' }, day(2)),
  ];
  const cy = [await guestOrder(store, { name: 'Cy', email: 'cy@guest.example' }, day(3))];
  // The same email in another store is another shopper.
  await guestOrder(other, { name: 'Ann elsewhere', email: 'ann@guest.example' }, day(4));

  const byContact = async (after?: string) => {
    const { guests } = await store.data(GUEST_ORDERS, { after });
    return Object.fromEntries(guests.edges.map((edge: any) => [edge.node.email ?? edge.node.phone, edge.node]));
  };
  const guests = await eventually(async () => {
    const found = await byContact();
    expect(Object.keys(found).sort()).toEqual(['+442079460555', 'Ann@Guest.example', 'cy@guest.example']);
    return found;
  });
  const numbers = (node: any) => node.orders.edges.map((edge: any) => edge.node.number);
  expect(numbers(guests['Ann@Guest.example'])).toEqual([...ann].reverse().slice(0, 10));
  expect(guests['Ann@Guest.example'].orders).toMatchObject({ totalCount: 12, pageInfo: { hasNextPage: true } });
  expect(guests['Ann@Guest.example'].orders.edges[0].node.guest).toEqual({ email: 'Ann@Guest.example', phone: null });
  expect(numbers(guests['+442079460555'])).toEqual([...bob].reverse());
  expect(numbers(guests['cy@guest.example'])).toEqual(cy);

  const next = await byContact(guests['Ann@Guest.example'].orders.pageInfo.endCursor);
  expect(numbers(next['Ann@Guest.example'])).toEqual([ann[1], ann[0]]);

  await store.data(GUEST_ORDERS); // warm the pools: a new connection costs one extra type query
  const counts = await graph.countStatements(() => store.data(GUEST_ORDERS));
  expect(counts['commerce-history']).toBe(1);
});

it('keeps listing a guest’s orders after the guest registers and the orders become the profile’s', async () => {
  await guestOrder(store, { name: 'Dee', email: 'dee@guest.example', phone: '+44 20 7946 0777' }, day(5));
  await guestOrder(store, { name: 'Dee', email: 'dee@guest.example' }, day(6));
  const registered = await store.createCustomer({
    firstName: 'Dee',
    lastName: 'Registered',
    email: 'dee@guest.example',
  });
  const query = `{ guests(search: "dee@", first: 10) { edges { node { convertedCustomer { id } orders { totalCount } } } } }`;
  await eventually(async () => {
    const { guests } = await store.data(query);
    expect(guests.edges).toEqual([{ node: { convertedCustomer: { id: registered.id }, orders: { totalCount: 2 } } }]);
    const { customer } = await store.data(`query($id: ID!) { customer(id: $id) { orders { totalCount } } }`, {
      id: registered.id,
    });
    expect(customer.orders.totalCount).toBe(2);
  });
});

it("finds a guest's orders through the contact indexes among 40,000 of the store's orders, as the request role plans it", async () => {
  const commerce = graph.graph.subgraphs['commerce-history']!;
  // Row-level security lets only leakproof conditions reach an index: a lower() in the condition
  // would leave the planner walking every order of the store.
  await commerce.db.sql`
    insert into commerce_history.orders (store_id, number, guest_email, guest_phone, channel, status, currency, subtotal, discount, shipping, tax, total, units)
    select ${store.id}, 'BULK' || lpad(i::text, 6, '0'), 'shopper' || i || '@bulk.example', null, 'web', 'delivered', 'EUR', 100, 0, 0, 0, 100, 1
    from generate_series(1, 40000) i`;
  await commerce.db.sql`analyze commerce_history.orders`;
  const statements = await commerce.db.captureStatements(() => store.data(GUEST_ORDERS));
  const page = statements.filter((statement) => /"commerce_history"\."orders"/.test(statement.query));
  expect(page).toHaveLength(1);
  const nodes = planNodes(await explain(commerce.db, page[0]!, { schema: 'commerce_history', storeId: store.id }));
  expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan' && node['Relation Name'] === 'orders')).toEqual([]);
  expect(nodes.map((node) => node['Index Name']).filter(Boolean)).toEqual(
    expect.arrayContaining(['orders_guest_email_idx', 'orders_guest_phone_idx']),
  );
  expect(nodes.map((node) => node['Index Name'])).not.toContain('orders_store_created_idx');
});
