import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const WATCH = /* GraphQL */ `
  mutation ($id: ID!) {
    watchCustomer(customerId: $id) {
      id
      watched
    }
  }
`;
const UNWATCH = /* GraphQL */ `
  mutation ($id: ID!) {
    unwatchCustomer(customerId: $id) {
      id
      watched
    }
  }
`;
const LIST = /* GraphQL */ `
  query ($filter: CustomerFilter, $tab: CustomerTab) {
    customers(first: 50, filter: $filter, tab: $tab) {
      totalCount
      edges {
        node {
          id
          firstName
          watched
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
let other: TestStore;
const ids: Record<string, string> = {};

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Watching store');
  other = await graph.createStore('Other store');
  for (const name of ['Ayla', 'Berk', 'Cem', 'Dilek']) {
    ids[name] = (
      await store.createCustomer({
        firstName: name,
        lastName: 'Watch',
        email: `${name.toLowerCase()}@watch.example`,
      })
    ).id;
  }
});
afterAll(() => graph?.close());

async function listed(variables: Record<string, unknown>) {
  const { customers } = await store.data(LIST, variables);
  return {
    total: customers.totalCount as number,
    names: customers.edges.map((edge: any) => edge.node.firstName).sort() as string[],
  };
}

describe('the watchlist', () => {
  it('watches and unwatches a customer, both idempotently', async () => {
    expect((await store.data(WATCH, { id: ids.Ayla })).watchCustomer).toEqual({ id: ids.Ayla, watched: true });
    expect((await store.data(WATCH, { id: ids.Ayla })).watchCustomer).toEqual({ id: ids.Ayla, watched: true });
    const { customer } = await store.data(`query($id: ID!) { customer(id: $id) { watched } }`, { id: ids.Ayla });
    expect(customer.watched).toBe(true);

    expect((await store.data(UNWATCH, { id: ids.Ayla })).unwatchCustomer).toEqual({ id: ids.Ayla, watched: false });
    expect((await store.data(UNWATCH, { id: ids.Ayla })).unwatchCustomer).toEqual({ id: ids.Ayla, watched: false });
    const again = await store.data(`query($id: ID!) { customer(id: $id) { watched } }`, { id: ids.Ayla });
    expect(again.customer.watched).toBe(false);
  });

  it('is shared by the store’s staff', async () => {
    await store.data(WATCH, { id: ids.Berk });
    // Another staff user of the same store sees the same watchlist and can take a customer off it.
    const token = await store.staff(randomUUID(), 'MANAGER');
    const response = await graph.request(
      `query($id: ID!) { customer(id: $id) { watched } }`,
      { id: ids.Berk },
      { token },
    );
    expect(response.data?.customer.watched).toBe(true);
    const unwatched = await graph.request(UNWATCH, { id: ids.Berk }, { token });
    expect(unwatched.data?.unwatchCustomer.watched).toBe(false);
  });

  it('filters the list by watched and serves the WATCHLIST tab', async () => {
    await store.data(WATCH, { id: ids.Berk });
    await store.data(WATCH, { id: ids.Cem });
    expect(await listed({ filter: { watched: true } })).toEqual({ total: 2, names: ['Berk', 'Cem'] });
    expect(await listed({ filter: { watched: false } })).toEqual({ total: 2, names: ['Ayla', 'Dilek'] });
    expect(await listed({ tab: 'WATCHLIST' })).toEqual({ total: 2, names: ['Berk', 'Cem'] });
    // A tab's filter and an explicit one both apply.
    expect(await listed({ tab: 'WATCHLIST', filter: { search: 'cem' } })).toEqual({ total: 1, names: ['Cem'] });
    const { customers } = await store.data(LIST, { tab: 'ALL' });
    const watched = Object.fromEntries(customers.edges.map((edge: any) => [edge.node.firstName, edge.node.watched]));
    expect(watched).toEqual({ Ayla: false, Berk: true, Cem: true, Dilek: false });
  });

  it('refuses ids that are not the store’s customers, and another store sees none of it', async () => {
    const foreign = await other.request(WATCH, { id: ids.Dilek });
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await other.request(UNWATCH, { id: ids.Berk })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await store.request(WATCH, { id: randomUUID() })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const bad = await store.request(WATCH, { id: 'nope' });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'customerId' }] });

    const { customers } = await other.data(LIST, { tab: 'WATCHLIST' });
    expect(customers.totalCount).toBe(0);
    expect(
      (await store.data(`query($id: ID!) { customer(id: $id) { watched } }`, { id: ids.Dilek })).customer.watched,
    ).toBe(false);
    // Berk stays watched in his own store.
    expect(
      (await store.data(`query($id: ID!) { customer(id: $id) { watched } }`, { id: ids.Berk })).customer.watched,
    ).toBe(true);
  });
});
