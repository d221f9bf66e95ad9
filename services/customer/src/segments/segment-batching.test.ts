import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

/** A list screen with the watchlist eye and the segment column. */
const LIST = /* GraphQL */ `
  query List($search: String) {
    customers(first: 100, filter: { search: $search }) {
      totalCount
      edges {
        node {
          id
          lastName
          watched
          segments {
            id
          }
        }
      }
    }
  }
`;

let graph: TestGraph;
let store: TestStore;
const segment: Record<string, string> = {};
const isGold = (i: number) => i % 3 === 0;
const isWatched = (i: number) => i % 4 === 0;
const isBlocked = (i: number) => i % 2 === 1;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Segment batch store', { currency: 'EUR' });
  // Five customers named "Few", forty-five named "Many": both groups share the search prefix "batch".
  const customers = await Promise.all(
    Array.from({ length: 50 }, (_, i) =>
      store.createCustomer({
        firstName: i < 5 ? 'Batch-Few' : 'Batch-Many',
        lastName: `No${String(i).padStart(2, '0')}`,
        email: `batch${i}@example.com`,
        tags: isGold(i) ? ['gold'] : [],
        status: isBlocked(i) ? 'BLOCKED' : 'ACTIVE',
      }),
    ),
  );
  await Promise.all(
    customers
      .filter((_, i) => isWatched(i))
      .map(({ id }) => store.data(`mutation($id: ID!) { watchCustomer(customerId: $id) { id } }`, { id })),
  );
  const definitions: Record<string, unknown[]> = {
    Gold: [{ kind: 'TAGS', tags: ['gold'] }],
    'Active gold': [
      { kind: 'TAGS', tags: ['gold'] },
      { kind: 'STATUS', status: ['ACTIVE'] },
    ],
    Everyone: [{ kind: 'ORDER_COUNT', max: 0 }],
  };
  for (const [name, rules] of Object.entries(definitions)) {
    const { createSegment } = await store.data(
      `mutation($input: CreateSegmentInput!) { createSegment(input: $input) { id } }`,
      {
        input: { name, rules },
      },
    );
    segment[name] = createSegment.id;
  }
});
afterAll(() => graph?.close());

describe('segment and watchlist batching', () => {
  it('lists 50 customers with watched and segments in as many statements as 5', async () => {
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
      const i = Number(node.lastName.slice(2));
      expect(node.watched).toBe(isWatched(i));
      const expected = [
        isGold(i) && !isBlocked(i) && segment['Active gold'],
        segment.Everyone,
        isGold(i) && segment.Gold,
      ].filter(Boolean);
      expect(node.segments.map((s: { id: string }) => s.id)).toEqual(expected);
    }
    expect(manyStatements).toEqual(fewStatements);
    // List, count, watched; the store's segments, then every customer against every segment.
    expect(fewStatements).toEqual({ customer: 5, 'commerce-history': 0, engagement: 0, consent: 0 });
  });

  it('counts and pages the members of several segments in as many statements as one', async () => {
    const query = (aliases: string[]) => /* GraphQL */ `
      query {
        ${aliases
          .map(
            (name, i) => `s${i}: segment(id: "${segment[name]}") {
              memberCount members(first: 10, sort: { field: NAME, direction: ASC }) { totalCount edges { node { id watched } } }
            }`,
          )
          .join('\n')}
      }`;
    let one: any;
    let three: any;
    const oneStatements = await graph.countStatements(async () => {
      one = await store.data(query(['Gold']));
    });
    const threeStatements = await graph.countStatements(async () => {
      three = await store.data(query(['Gold', 'Active gold', 'Everyone']));
    });
    expect(one.s0).toMatchObject({ memberCount: 17, members: { totalCount: 17 } });
    expect(three.s0.members.edges).toHaveLength(10);
    expect([three.s0.memberCount, three.s1.memberCount, three.s2.memberCount]).toEqual([17, 9, 50]);
    expect(three.s1.members.edges).toHaveLength(9);
    expect(threeStatements).toEqual(oneStatements);
    // The segments, their members (one UNION ALL), their counts (one pass), watched.
    expect(oneStatements.customer).toBe(4);

    const listed = await graph.countStatements(() =>
      store.data(
        `{ segments(first: 10) { edges { node { name memberCount members(first: 10) { edges { node { id } } } } } } }`,
      ),
    );
    expect(listed.customer).toBe(3);
  });

  it('pages through every member once', async () => {
    const MEMBERS = /* GraphQL */ `
      query ($id: ID!, $after: String) {
        segment(id: $id) {
          members(first: 10, after: $after, sort: { field: NAME, direction: DESC }) {
            totalCount
            pageInfo {
              hasNextPage
              endCursor
            }
            edges {
              node {
                id
                lastName
              }
            }
          }
        }
      }
    `;
    const names: string[] = [];
    const totals = new Set<number>();
    let after: string | null = null;
    for (;;) {
      const { segment: found }: any = await store.data(MEMBERS, { id: segment.Everyone, after });
      totals.add(found.members.totalCount);
      names.push(...found.members.edges.map((edge: any) => edge.node.lastName));
      if (!found.members.pageInfo.hasNextPage) break;
      after = found.members.pageInfo.endCursor;
    }
    expect([...totals]).toEqual([50]);
    expect(names).toHaveLength(50);
    expect(new Set(names).size).toBe(50);
  });
});
