import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

/**
 * What gateway/CLIENTS.md says the gateway does with GET requests,
 * automatic persisted queries, HTTP batching and @defer.
 */
let graph: TestGraph;
let store: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Client requests');
  await store.createCustomer();
});
afterAll(() => graph?.close());

const QUERY = 'query CustomerCount { customers(first: 1) { totalCount } }';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

async function get(params: Record<string, string>, headers: Record<string, string> = {}) {
  const url = new URL(graph.gatewayUrl);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  const response = await fetch(url, { headers: { authorization: `Bearer ${store.token}`, ...headers } });
  return { status: response.status, headers: response.headers, body: (await response.json()) as any };
}

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(graph.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${store.token}`, ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as any };
}

const preflight = { 'apollo-require-preflight': 'true' };

describe('GET', () => {
  it('answers a query with a preflight header, not cached', async () => {
    const answer = await get({ query: QUERY }, preflight);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ data: { customers: { totalCount: 1 } } });
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });

  it('refuses a query without one (CSRF) and any mutation', async () => {
    const bare = await get({ query: QUERY });
    expect(bare.status).toBe(400);
    expect(bare.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(bare.body.errors[0].message).toContain('Cross-Site Request Forgery');
    const mutation = await get(
      {
        query: 'mutation { createCustomer(input: { firstName: "A", lastName: "B", email: "a.b@example.com" }) { id } }',
      },
      preflight,
    );
    expect(mutation.status).toBe(405);
    expect(mutation.body.errors[0].extensions.code).toBe('BAD_REQUEST');
    expect((await store.data(QUERY)).customers.totalCount).toBe(1);
  });
});

describe('automatic persisted queries', () => {
  it('asks for the query once, then answers the hash alone, over GET too', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(QUERY) } };
    const unknown = await post({ extensions });
    expect(unknown.status).toBe(200);
    expect(unknown.body.errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    expect((await post({ query: QUERY, extensions })).body).toEqual({ data: { customers: { totalCount: 1 } } });
    const hashed = await get({ extensions: JSON.stringify(extensions) }, preflight);
    expect(hashed.body).toEqual({ data: { customers: { totalCount: 1 } } });
  });

  it('refuses a hash that is not the query’s with PERSISTED_QUERY_HASH_MISMATCH', async () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: sha256('{ somethingElse }') } };
    const answer = await post({ query: QUERY, extensions });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({
      errors: [
        {
          message: 'extensions.persistedQuery.sha256Hash is not the SHA-256 hash of the query',
          extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' },
        },
      ],
    });
  });
});

describe('refused', () => {
  it('HTTP batching: BAD_REQUEST, nothing run', async () => {
    const statements = await graph.countStatements(async () => {
      const answer = await post([{ query: QUERY }, { query: QUERY }]);
      expect(answer.status).toBe(400);
      expect(answer.body).toEqual({
        errors: [{ message: 'Operation batching disabled.', extensions: { code: 'BAD_REQUEST' } }],
      });
    });
    expect(statements).toEqual({ customer: 0, 'commerce-history': 0, engagement: 0, consent: 0 });
  });

  it('@defer: GRAPHQL_VALIDATION_FAILED, whatever the client accepts', async () => {
    const query = '{ customers(first: 1) { totalCount ... @defer { edges { node { id } } } } }';
    // A validation error: 200 for application/json, 400 for the GraphQL-over-HTTP media type.
    for (const [accept, status] of [
      ['application/json', 200],
      ['multipart/mixed; deferSpec=20220824, application/json', 200],
      ['application/graphql-response+json', 400],
    ] as const) {
      const answer = await post({ query }, { accept });
      expect(answer.status, accept).toBe(status);
      expect(answer.body.errors).toEqual([
        expect.objectContaining({
          message: 'Unknown directive "@defer".',
          extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
        }),
      ]);
    }
  });
});
