import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daysAgo, eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const LIST = /* GraphQL */ `
  query List($first: Int, $after: String, $filter: CustomerFilter, $sort: CustomerSort) {
    customers(first: $first, after: $after, filter: $filter, sort: $sort) {
      totalCount
      pageInfo {
        hasNextPage
        hasPreviousPage
        endCursor
      }
      edges {
        cursor
        node {
          id
          firstName
          lastName
          email
          phone
          status
          createdAt
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
const FIRST_NAMES = ['Zeynep', 'ali', 'Mehmet', 'Ayşe', 'Can', 'Elif', 'Burak', 'Deniz', 'Emre', 'Fatma'];

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore();
  // 25 customers, created one by one so their membership dates differ.
  for (let i = 0; i < 25; i += 1) {
    await store.createCustomer({
      firstName: FIRST_NAMES[i % 10],
      lastName: `Yılmaz${String(i).padStart(2, '0')}`,
      email: `customer${i}@shop.example`,
      phone: `+90532${String(1000000 + i)}`,
      status: i % 5 === 0 ? 'BLOCKED' : 'ACTIVE',
    });
  }
});
afterAll(() => graph?.close());

async function all(variables: Record<string, unknown>, first = 10) {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const { customers }: { customers: any } = await store.data(LIST, { ...variables, first, after });
    nodes.push(...customers.edges.map((edge: any) => edge.node));
    if (!customers.pageInfo.hasNextPage) return { nodes, totalCount: customers.totalCount };
    after = customers.pageInfo.endCursor;
  }
}

describe('customers list', () => {
  it('pages through every customer exactly once, newest first by default', async () => {
    const { nodes, totalCount } = await all({});
    expect(totalCount).toBe(25);
    expect(new Set(nodes.map((node) => node.id)).size).toBe(25);
    const dates = nodes.map((node) => node.createdAt);
    expect(dates).toEqual([...dates].sort().reverse());
  });

  it.each([1, 5])('pages through the same customers in pages of %i, as a phone asks for them', async (first) => {
    const { customers } = await store.data(LIST, { first });
    expect(customers.edges).toHaveLength(first);
    expect(customers.pageInfo.hasNextPage).toBe(true);
    const { nodes } = await all({}, first);
    expect(nodes.map((node) => node.id)).toEqual((await all({})).nodes.map((node) => node.id));
  });

  it.each(['ASC', 'DESC'])('sorts by name %s across pages, case-insensitively', async (direction) => {
    const { nodes } = await all({ sort: { field: 'NAME', direction } });
    const names = nodes.map((node) => `${node.firstName} ${node.lastName}`.toLowerCase());
    const expected = [...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(names).toEqual(direction === 'ASC' ? expected : expected.reverse());
    expect(nodes).toHaveLength(25);
  });

  it('sorts by membership date ascending', async () => {
    const { nodes } = await all({ sort: { field: 'CREATED_AT', direction: 'ASC' } });
    const dates = nodes.map((node) => node.createdAt);
    expect(dates).toEqual([...dates].sort());
  });

  it('searches by first name, last name, email and phone prefix', async () => {
    const search = async (text: string) => (await store.data(LIST, { filter: { search: text }, first: 100 })).customers;
    expect((await search('ALI')).totalCount).toBe(3); // i = 1, 11, 21
    expect((await search('yılmaz0')).totalCount).toBe(10);
    expect((await search('customer2')).totalCount).toBe(6); // 2, 20–24
    expect((await search('+90532100000')).totalCount).toBe(10);
    expect((await search('%')).totalCount).toBe(0);
  });

  it('filters by status and counts the filtered set', async () => {
    const { customers } = await store.data(LIST, { filter: { status: ['BLOCKED'] }, first: 10 });
    expect(customers.totalCount).toBe(5);
    expect(customers.edges.every((edge: any) => edge.node.status === 'BLOCKED')).toBe(true);
  });

  it('counts customers alone unless a condition reads the metrics projection, with the same totals', async () => {
    const customerDb = graph.graph.subgraphs.customer.db;
    const countOf = async (filter: Record<string, unknown>) => {
      let total = 0;
      const statements = await customerDb.captureStatements(async () => {
        total = (await store.data(LIST, { filter, first: 10 })).customers.totalCount;
      });
      const counting = statements.filter((statement) => /count\(\*\)/.test(statement.query));
      expect(counting).toHaveLength(1);
      return { total, joins: counting[0]!.query.includes('"customer_metrics"') };
    };
    expect(await countOf({ status: ['ACTIVE'] })).toEqual({ total: 20, joins: false });
    expect(await countOf({ status: ['ACTIVE'], maxOrders: 0 })).toEqual({ total: 20, joins: true });
    expect(await countOf({ minOrders: 1 })).toEqual({ total: 0, joins: true });
  });

  it.each([
    [{ first: 0 }, 'first'],
    [{ first: 101 }, 'first'],
    [{ after: 'garbage' }, 'after'],
  ])('rejects %o with BAD_USER_INPUT naming %s', async (variables, field) => {
    const response = await store.request(LIST, variables);
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field }] });
  });

  it('rejects a cursor taken under another sort', async () => {
    const { customers } = await store.data(LIST, { first: 10, sort: { field: 'NAME' } });
    const response = await store.request(LIST, { first: 10, after: customers.pageInfo.endCursor });
    expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field: 'after' }] });
  });
});

describe('customers list filters', () => {
  /** Who each filter must return, by first name; customers of the other store never come back. */
  let shop: TestStore;
  const ids = new Map<string, string>();
  const created = new Map<string, string>();

  beforeAll(async () => {
    shop = await graph.createStore('Filter store', { currency: 'EUR' });
    const people = [
      { firstName: 'Tuna', country: 'TR', tags: ['vip'], spent: [1000] },
      { firstName: 'Derya', country: 'DE', tags: ['vip', 'b2b'], spent: [1500, 500] },
      { firstName: 'Tamer', country: 'TR', tags: ['b2b'], spent: [3000] },
      { firstName: 'Nil', tags: [], spent: [] },
      { firstName: 'Draft', country: 'FR', tags: ['VIP'], spent: [], draft: 9000 },
    ];
    for (const person of people) {
      const { spent, draft, ...profile } = person;
      const customer = await shop.createCustomer(profile);
      ids.set(person.firstName, customer.id);
      for (const amount of spent) await shop.recordOrder({ customerId: customer.id, unitPrice: amount });
      if (draft)
        await shop.recordOrder({ customerId: customer.id, unitPrice: draft, status: 'DRAFT', placedAt: daysAgo(1) });
    }
    const { customers } = await shop.data(`{ customers(first: 10) { edges { node { firstName createdAt } } } }`);
    for (const edge of customers.edges) created.set(edge.node.firstName, edge.node.createdAt);
    // Another store's customer matches every filter, and must never come back.
    await (await graph.createStore('Elsewhere')).createCustomer({ firstName: 'Tuna', country: 'TR', tags: ['vip'] });
    await eventually(async () => expect(await graph.undelivered()).toBe(0));
  });

  async function matching(filter: Record<string, unknown>): Promise<string[]> {
    const { customers } = await shop.data(LIST, { filter, first: 10 });
    const names = customers.edges.map((edge: any) => edge.node.firstName).sort();
    expect(customers.totalCount).toBe(names.length);
    return names;
  }

  it('by country: any of the codes given, in any case; a customer without one matches none', async () => {
    expect(await matching({ country: ['TR'] })).toEqual(['Tamer', 'Tuna']);
    expect(await matching({ country: ['tr', 'DE'] })).toEqual(['Derya', 'Tamer', 'Tuna']);
    expect(await matching({ country: ['US'] })).toEqual([]);
    expect(await matching({ country: [] })).toHaveLength(5);
  });

  it('by tag: customers with any of the tags given, exactly as written', async () => {
    expect(await matching({ tags: ['vip'] })).toEqual(['Derya', 'Tuna']);
    expect(await matching({ tags: ['vip', 'b2b'] })).toEqual(['Derya', 'Tamer', 'Tuna']);
    expect(await matching({ tags: ['VIP'] })).toEqual(['Draft']);
    expect(await matching({ tags: ['none'] })).toEqual([]);
  });

  it('by membership date: both ends inclusive, to the millisecond', async () => {
    const at = (name: string) => created.get(name)!;
    const before = (name: string) => new Date(new Date(at(name)).getTime() - 1).toISOString();
    const after = (name: string) => new Date(new Date(at(name)).getTime() + 1).toISOString();
    expect(await matching({ createdFrom: at('Derya'), createdTo: at('Tamer') })).toEqual(['Derya', 'Tamer']);
    expect(await matching({ createdFrom: after('Derya'), createdTo: before('Nil') })).toEqual(['Tamer']);
    expect(await matching({ createdFrom: at('Draft') })).toEqual(['Draft']);
    expect(await matching({ createdTo: before('Tuna') })).toEqual([]);
  });

  it('by last order date: over the orders that count, a draft none', async () => {
    expect(await matching({ lastOrderFrom: daysAgo(2) })).toEqual(['Derya', 'Tamer', 'Tuna']);
    expect(await matching({ lastOrderTo: daysAgo(0.5) })).toEqual([]);
    expect(await matching({ lastOrderFrom: daysAgo(2), lastOrderTo: daysAgo(0.5) })).toEqual([]);
  });

  it('by total spent: both ends inclusive, in minor units, over the orders that count only', async () => {
    expect(await matching({ minTotalSpent: 2000 })).toEqual(['Derya', 'Tamer']);
    expect(await matching({ minTotalSpent: 2001 })).toEqual(['Tamer']);
    expect(await matching({ minTotalSpent: 1000, maxTotalSpent: 2000 })).toEqual(['Derya', 'Tuna']);
    expect(await matching({ maxTotalSpent: 999 })).toEqual(['Draft', 'Nil']); // nothing spent, a draft only
    expect(await matching({ minTotalSpent: 3001 })).toEqual([]);
    expect(await matching({ minTotalSpent: 0 })).toHaveLength(5);
  });

  it('together: every filter given holds', async () => {
    expect(await matching({ country: ['TR'], tags: ['b2b'], minTotalSpent: 1000 })).toEqual(['Tamer']);
    expect(await matching({ country: ['TR', 'DE'], maxTotalSpent: 2000, createdTo: created.get('Derya') })).toEqual([
      'Derya',
      'Tuna',
    ]);
  });

  it('refuses a bad value of each by name', async () => {
    for (const [filter, field] of [
      [{ country: ['XX'] }, 'filter.country.0'],
      [{ tags: [''] }, 'filter.tags.0'],
      [{ minTotalSpent: -1 }, 'filter.minTotalSpent'],
    ] as const) {
      const response = await shop.request(LIST, { filter, first: 10 });
      expect(response.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [{ field }] });
    }
  });
});
