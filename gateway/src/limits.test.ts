import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type GraphQLResponse, type TestGraph, type TestStore, operationNamed } from '@cg/testing';
import { EXAMPLE_OPERATIONS } from './explorer/explorer.ts';
import { startGateway, type GatewayOptions, type RunningGateway } from './gateway.ts';
import { requestLimits, DEFAULT_LIMITS } from './limits.ts';

let graph: TestGraph;
let store: TestStore;
let customerId: string;
const gateways: RunningGateway[] = [];

/** Another gateway in front of the test graph's subgraphs, with its own options. */
async function gatewayWith(options: Omit<GatewayOptions, 'subgraphUrls'>): Promise<RunningGateway> {
  const subgraphUrls = Object.fromEntries(
    Object.entries(graph.graph.subgraphs).map(([name, subgraph]) => [name, subgraph.url]),
  );
  const gateway = await startGateway({ subgraphUrls, ...options });
  gateways.push(gateway);
  return gateway;
}

async function post(url: string, body: string | ReadableStream<Uint8Array>): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${store.token}` },
    body,
    ...(typeof body === 'string' ? {} : { duplex: 'half' }),
  } as RequestInit);
  return { status: response.status, ...((await response.json()) as object) };
}

const request = (url: string, query: string, variables?: Record<string, unknown>) =>
  post(url, JSON.stringify({ query, variables }));

/** Sends `send`, expects it refused with `reason` and no SQL statement in any subgraph. */
async function expectRefused(send: () => Promise<GraphQLResponse>, reason: string, limit: number, actual: number) {
  let response!: GraphQLResponse;
  const statements = await graph.countStatements(async () => {
    response = await send();
  });
  // As application/json, a request refused before execution is a 200 (GraphQL over HTTP).
  expect(response.status).toBe(200);
  expect(response.data).toBeUndefined();
  expect(response.errors).toHaveLength(1);
  const error = response.errors![0]!;
  if (reason === 'MAX_PAGE_SIZE') {
    // The subgraphs' own error for a bad `first`, with the limit's details.
    const message = `must be at most ${limit}`;
    expect(error.extensions).toEqual({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'first', message }],
      reason,
      limit,
      actual,
    });
  } else {
    expect(error.extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED', reason, limit, actual });
  }
  expect(error.message).toContain(String(limit));
  expect(statements).toEqual({ customer: 0, 'commerce-history': 0, engagement: 0, consent: 0 });
  return response;
}

/** Thirteen levels, through a fragment and an inline fragment. */
const DEEP = /* GraphQL */ `
  query Deep($id: ID!) {
    customer(id: $id) {
      orders(first: 10) {
        edges {
          node {
            ...Paid
          }
        }
      }
    }
  }
  fragment Paid on Order {
    payments {
      order {
        payments {
          ... on Payment {
            order {
              payments {
                order {
                  payments {
                    order {
                      number
                    }
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

/** 100 customers × 100 orders each: 1 + 100 × (1 + 1 + (1 + 100 × (1 + 1 + 1))) = 30,301. */
const COSTLY = /* GraphQL */ `
  {
    customers(first: 100) {
      edges {
        node {
          orders(first: 100) {
            edges {
              node {
                number
              }
            }
          }
        }
      }
    }
  }
`;

/** 30 aliases of a customer's 100 orders with their items (up to 500 each): 30 × (2 + 100 × (3 + 500 × 3)). */
const ITEMS_TIMES_ALIASES = `query Items($id: ID!) { ${Array.from(
  { length: 30 },
  (_, i) => `c${i}: customer(id: $id) { orders(first: 100) { edges { node { items { sku name quantity } } } } }`,
).join(' ')} }`;

const ALIASED = `{ ${Array.from({ length: 31 }, (_, i) => `c${i}: customers(first: 10) { totalCount }`).join(' ')} }`;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Limits store', { currency: 'EUR' });
  customerId = (await store.createCustomer({ firstName: 'Ada', lastName: 'Lovelace', email: 'ada@example.com' })).id;
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  await graph?.close();
});

describe('operations over a limit are refused before any subgraph is called', () => {
  it('too deep (fragments followed)', async () => {
    await expectRefused(() => store.request(DEEP, { id: customerId }), 'MAX_DEPTH', 12, 13);
  });

  it('too many aliases', async () => {
    await expectRefused(() => store.request(ALIASED), 'MAX_ALIASES', 30, 31);
  });

  it('too costly', async () => {
    await expectRefused(() => store.request(COSTLY), 'MAX_COST', DEFAULT_LIMITS.maxCost, 30_301);
  });

  it('a list without `first` multiplied by its bound: 30 aliases of 100 orders with their items', async () => {
    await expectRefused(
      () => store.request(ITEMS_TIMES_ALIASES, { id: customerId }),
      'MAX_COST',
      DEFAULT_LIMITS.maxCost,
      30 * (2 + 100 * (3 + 500 * 3)),
    );
  });

  it('a small query sent with the big documents is answered', async () => {
    const small = `query($id: ID!) { customer(id: $id) { fullName } }`;
    const responses = await Promise.all([
      ...Array.from({ length: 5 }, () => store.request(ITEMS_TIMES_ALIASES, { id: customerId })),
      store.request(small, { id: customerId }),
    ]);
    expect(responses.slice(0, 5).map((response) => response.errors?.[0]?.extensions?.reason)).toEqual(
      Array(5).fill('MAX_COST'),
    );
    expect(responses[5]).toMatchObject({ status: 200, data: { customer: { fullName: 'Ada Lovelace' } } });
  });

  it('variables that do not coerce, also those of @include and @skip: 400 BAD_USER_INPUT', async () => {
    const include = `query($v: Boolean!) { customers(first: 10) @include(if: $v) { totalCount } __typename }`;
    const skip = `query($v: Boolean!) { customers(first: 10) @skip(if: $v) { totalCount } __typename }`;
    const page = `query($n: Int) { customers(first: $n) { totalCount } }`;
    const cases: [string, Record<string, unknown>][] = [
      [include, {}],
      [include, { v: 'yes' }],
      [skip, { v: null }],
      [skip, { v: 1 }],
      [page, { n: 'ten' }],
    ];
    for (const [query, variables] of cases) {
      let response!: GraphQLResponse;
      const statements = await graph.countStatements(async () => {
        response = await store.request(query, variables);
      });
      expect(response.status).toBe(200);
      expect(response.data).toBeUndefined();
      expect(response.errors?.length).toBeGreaterThan(0);
      expect(response.errors!.map((error) => error.extensions?.code)).toEqual(
        response.errors!.map(() => 'BAD_USER_INPUT'),
      );
      expect(response.errors![0]!.message).toMatch(/^Variable "\$[vn]"/);
      expect(statements).toEqual({ customer: 0, 'commerce-history': 0, engagement: 0, consent: 0 });
    }
  });

  it('a page larger than 100, literal or in a variable, at the root or nested', async () => {
    const literal = await expectRefused(
      () => store.request(`{ customers(first: 1000) { totalCount } }`),
      'MAX_PAGE_SIZE',
      100,
      1000,
    );
    expect(literal.errors![0]!.message).toBe('Invalid first of "customers": must be at most 100, got 1000');
    expect((literal.errors![0] as { locations?: unknown }).locations).toEqual([{ line: 1, column: 13 }]);
    await expectRefused(
      () => store.request(`query($n: Int) { customers(first: $n) { totalCount } }`, { n: 1000 }),
      'MAX_PAGE_SIZE',
      100,
      1000,
    );
    await expectRefused(
      () =>
        store.request(`query($id: ID!) { customer(id: $id) { orders(first: 101) { totalCount } } }`, {
          id: customerId,
        }),
      'MAX_PAGE_SIZE',
      100,
      101,
    );
  });

  it('fragments spread exponentially, measured without expanding them', async () => {
    const bomb = (levels: number) =>
      `{ ...F0 } ${Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`).join(' ')}
      fragment F${levels} on Query { customers(first: 10) { totalCount } }`;
    const started = Date.now();
    await expectRefused(() => store.request(bomb(20)), 'MAX_COST', DEFAULT_LIMITS.maxCost, 2 ** 20 * 11);
    // Beyond Apollo Server's 10 million selections, its own rule refuses the document first.
    const huge = await store.request(bomb(30));
    expect(huge.status).toBe(200);
    expect(huge.errors?.[0]?.extensions).toMatchObject({
      code: 'GRAPHQL_VALIDATION_FAILED',
      validationErrorCode: 'MAX_RECURSIVE_SELECTIONS_EXCEEDED',
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('a body over 1 MB, with or without content-length, gets 413 PAYLOAD_TOO_LARGE', async () => {
    const body = JSON.stringify({ query: `{ customers { totalCount } }`, padding: 'x'.repeat(1_500_000) });
    const chunked = () =>
      new ReadableStream<Uint8Array>({
        start(controller) {
          const bytes = new TextEncoder().encode(body);
          for (let i = 0; i < bytes.length; i += 64 * 1024) controller.enqueue(bytes.slice(i, i + 64 * 1024));
          controller.close();
        },
      });
    for (const send of [() => post(graph.gatewayUrl, body), () => post(graph.gatewayUrl, chunked())]) {
      let response!: GraphQLResponse;
      const statements = await graph.countStatements(async () => {
        response = await send();
      });
      expect(response.status).toBe(413);
      expect(response.errors?.[0]?.extensions).toEqual({ code: 'PAYLOAD_TOO_LARGE', limit: 1_000_000 });
      expect(statements).toEqual({ customer: 0, 'commerce-history': 0, engagement: 0, consent: 0 });
    }
    // The connection was closed; the next request works.
    expect((await store.request(`{ customers(first: 10) { totalCount } }`)).data).toEqual({
      customers: { totalCount: 1 },
    });
  });

  it('a chunked body under the limit is read whole', async () => {
    const body = new TextEncoder().encode(JSON.stringify({ query: `{ customers(first: 10) { totalCount } }` }));
    const response = await post(
      graph.gatewayUrl,
      new ReadableStream({
        start(controller) {
          controller.enqueue(body.slice(0, 10));
          controller.enqueue(body.slice(10));
          controller.close();
        },
      }),
    );
    expect(response).toMatchObject({ status: 200, data: { customers: { totalCount: 1 } } });
  });
});

describe('real operations stay within the default limits', () => {
  it('the customer detail query', async () => {
    const { customer } = await store.data(operationNamed('CustomerDetail', EXAMPLE_OPERATIONS), { id: customerId });
    expect(customer.fullName).toBe('Ada Lovelace');
  });

  it('the customer list example, with 100 rows', async () => {
    const query = operationNamed('CustomerList', EXAMPLE_OPERATIONS).replace('first: 20', 'first: 100');
    expect((await store.data(query)).customers.edges.length).toBeGreaterThan(0);
  });

  it('the demo-data loader’s batch of 25 aliased mutations', async () => {
    // The shape of infra/local/demo-data.ts's `batch`.
    const chunk = Array.from({ length: 25 }, (_, i) => ({
      firstName: 'Batch',
      lastName: `No${i}`,
      email: `batch${i}@example.com`,
    }));
    const variables = Object.fromEntries(chunk.map((input, i) => [`v${i}`, input]));
    const definitions = chunk.map((_, i) => `$v${i}: CreateCustomerInput!`).join(', ');
    const fields = chunk.map((_, i) => `m${i}: createCustomer(input: $v${i}) { id }`).join('\n');
    const data = await store.data(`mutation Demo(${definitions}) {\n${fields}\n}`, variables);
    expect(Object.keys(data)).toHaveLength(25);
  });

  it('the explorer’s introspection query, outside production', async () => {
    const response = await store.request(getIntrospectionQuery());
    expect(response.errors).toBeUndefined();
    expect(response.data.__schema.queryType.name).toBe('Query');
  });

  it('a field skipped by @skip is not counted', async () => {
    const response = await store.request(
      `query($skip: Boolean!) { customers(first: 1000) @skip(if: $skip) { totalCount } __typename }`,
      {
        skip: true,
      },
    );
    expect(response).toMatchObject({ status: 200, data: { __typename: 'Query' } });
  });
});

describe('production mode', () => {
  let production: RunningGateway;

  beforeAll(async () => {
    production = await gatewayWith({ production: true });
  });

  it('refuses introspection but not __typename', async () => {
    const response = await request(production.url, `{ __schema { types { name } } }`);
    expect(response.status).toBe(200);
    expect(response.errors?.[0]?.extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      reason: 'INTROSPECTION_DISABLED',
    });
    expect(response.errors?.[0]?.message).toContain('ALLOW_INTROSPECTION=true');
    expect((await request(production.url, `{ __type(name: "Customer") { name } }`)).status).toBe(200);
    expect(await request(production.url, `{ __typename }`)).toMatchObject({
      status: 200,
      data: { __typename: 'Query' },
    });
  });

  it('does not suggest field names', async () => {
    const response = await request(production.url, `{ customer { fullNam } }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(response.errors)).not.toContain('Did you mean');
  });

  it('serves a notice instead of the explorer', async () => {
    const page = await fetch(production.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('ALLOW_INTROSPECTION=true');
    expect((await fetch(new URL('/explorer/graphiql.js', production.url))).status).toBe(404);
  });

  it('keeps the limit errors’ code and details, with no stack trace', async () => {
    const response = await request(production.url, DEEP, { id: customerId });
    expect(response.status).toBe(200);
    expect(response.errors?.[0]?.extensions).toEqual({
      code: 'GRAPHQL_VALIDATION_FAILED',
      reason: 'MAX_DEPTH',
      limit: 12,
      actual: 13,
    });
  });

  it('allows introspection and the explorer when configured', async () => {
    const open = await gatewayWith({ production: true, introspection: true });
    const response = await request(open.url, getIntrospectionQuery());
    expect(response.errors).toBeUndefined();
    const page = await fetch(open.url, { headers: { accept: 'text/html' } });
    expect(await page.text()).toContain('graphiql.js');
  });
});

describe('configuration', () => {
  it('takes limits from startGateway options', async () => {
    const strict = await gatewayWith({ limits: { maxDepth: 3, maxAliases: 1, maxCost: 10, maxBodyBytes: 2000 } });
    await expectRefused(
      () => request(strict.url, `{ customers(first: 10) { edges { node { id } } } }`),
      'MAX_DEPTH',
      3,
      4,
    );
    await expectRefused(() => request(strict.url, `{ a: __typename b: __typename }`), 'MAX_ALIASES', 1, 2);
    await expectRefused(() => request(strict.url, `{ customers(first: 10) { totalCount } }`), 'MAX_COST', 10, 11);
    const big = await post(strict.url, JSON.stringify({ query: '{ __typename }', padding: 'x'.repeat(2000) }));
    expect(big).toMatchObject({ status: 413, errors: [{ extensions: { code: 'PAYLOAD_TOO_LARGE', limit: 2000 } }] });
    expect(await request(strict.url, `{ t: __typename }`)).toMatchObject({ status: 200, data: { t: 'Query' } });
  });

  it('falls back to the environment, then to the defaults', () => {
    const env = { MAX_QUERY_DEPTH: '5', MAX_QUERY_COST: '900', MAX_ALIASES: '40', MAX_BODY_BYTES: '5000' };
    expect(requestLimits({}, env)).toEqual({
      maxDepth: 5,
      maxCost: 900,
      maxAliases: 40,
      maxBodyBytes: 5000,
      maxPageSize: 100,
    });
    expect(requestLimits({ maxDepth: 7 }, env).maxDepth).toBe(7);
    expect(requestLimits({}, {})).toEqual(DEFAULT_LIMITS);
    expect(() => requestLimits({}, { MAX_QUERY_DEPTH: 'deep' })).toThrow(
      'MAX_QUERY_DEPTH must be a positive integer, got "deep"',
    );
    expect(() => requestLimits({ maxCost: 0 }, {})).toThrow('maxCost option must be a positive integer');
  });
});
