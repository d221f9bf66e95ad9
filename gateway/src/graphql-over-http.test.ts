import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serverAudits } from 'graphql-http';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

let graph: TestGraph;
let store: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Audit store');
});
afterAll(() => graph?.close());

/** Every request of the audit carries a staff token, as every client's must. */
const withToken: typeof fetch = (input, init) => {
  const headers = new Headers(init?.headers);
  headers.set('authorization', `Bearer ${store.token}`);
  return fetch(input, { ...init, headers });
};

it('passes every MUST and SHOULD audit of the GraphQL-over-HTTP spec (graphql-http)', async () => {
  const audits = serverAudits({ url: () => graph.gatewayUrl, fetchFn: withToken });
  const failures: string[] = [];
  for (const audit of audits) {
    const result = await audit.fn();
    if (result.status === 'ok' || result.name.startsWith('MAY')) continue;
    failures.push(`${result.name}: ${result.reason}`);
  }
  expect(failures).toEqual([]);
});

async function post(body: unknown, accept?: string) {
  const response = await fetch(graph.gatewayUrl, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${store.token}`,
      ...(accept ? { accept } : {}),
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, type: response.headers.get('content-type'), ...((await response.json()) as any) };
}

it('answers request errors with 200 as application/json and 400 as application/graphql-response+json', async () => {
  const cases = [
    { query: '{ customers {', code: 'GRAPHQL_PARSE_FAILED' },
    { query: '{ customers { nope } }', code: 'GRAPHQL_VALIDATION_FAILED' },
    {
      query: 'query($n: Int) { customers(first: $n) { totalCount } }',
      variables: { n: 'ten' },
      code: 'BAD_USER_INPUT',
    },
  ];
  for (const { code, ...body } of cases) {
    const json = await post(body);
    expect(json, code).toMatchObject({ status: 200, type: expect.stringContaining('application/json') });
    expect(json.errors[0].extensions.code, code).toBe(code);
    const graphqlResponse = await post(body, 'application/graphql-response+json, application/json;q=0.9');
    expect(graphqlResponse, code).toMatchObject({
      status: 400,
      type: expect.stringContaining('application/graphql-response+json'),
    });
    expect(graphqlResponse.errors[0].extensions.code, code).toBe(code);
  }
  // A POSTed subscription is no GraphQL request error: it stays a 400 for both.
  const subscription = await post({ query: 'subscription { customerSummaryUpdated(customerId: "x") { id } }' });
  expect(subscription.status).toBe(400);
});

describe('automatic persisted queries', () => {
  const query = '{ customers(first: 10) { totalCount } }';
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

  it('refuses a hash that is not the query’s with a client error', async () => {
    const response = await post({
      query,
      extensions: { persistedQuery: { version: 1, sha256Hash: sha256('something else') } },
    });
    expect(response.status).toBe(400);
    expect(response.errors).toEqual([
      {
        message: 'extensions.persistedQuery.sha256Hash is not the SHA-256 hash of the query',
        extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' },
      },
    ]);
  });

  it('registers a query under its hash and runs it by the hash alone', async () => {
    const persistedQuery = { version: 1, sha256Hash: sha256(query) };
    const unknown = await post({ extensions: { persistedQuery } });
    expect(unknown.errors?.[0]?.extensions?.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect(await post({ query, extensions: { persistedQuery } })).toMatchObject({
      data: { customers: { totalCount: 0 } },
    });
    expect(await post({ extensions: { persistedQuery } })).toMatchObject({
      status: 200,
      data: { customers: { totalCount: 0 } },
    });
  });

  it('refuses another version with BAD_REQUEST', async () => {
    const response = await post({ query, extensions: { persistedQuery: { version: 2, sha256Hash: sha256(query) } } });
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
  });
});
