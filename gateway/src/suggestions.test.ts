import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type GraphQLResponse, type TestGraph, type TestStore } from '@cg/testing';
import { startGateway, type RunningGateway } from './gateway.ts';

/**
 * In production no answer says "Did you mean …?", whichever step refuses the request: validation,
 * variable coercion, a subgraph, or the WebSocket server. Introspection is left on here so that
 * nothing but the error formatting hides them.
 */
let graph: TestGraph;
let store: TestStore;
const gateways: RunningGateway[] = [];

async function gatewayWith(production: boolean): Promise<RunningGateway> {
  const subgraphUrls = Object.fromEntries(
    Object.entries(graph.graph.subgraphs).map(([name, subgraph]) => [name, subgraph.url]),
  );
  const gateway = await startGateway({ subgraphUrls, production, introspection: true });
  gateways.push(gateway);
  return gateway;
}

async function request(url: string, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${store.token}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

function subscribe(url: string, query: string): Promise<unknown> {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${store.token}` },
    retryAttempts: 0,
  });
  return new Promise<unknown>((resolve) => {
    client.subscribe({ query }, { next: resolve, error: resolve, complete: () => resolve('complete') });
  }).finally(() => client.dispose());
}

/** Misspelt field, input field and enum value: each would get a suggestion outside production. */
const MISSPELT = [
  { query: '{ customers { totlCount } }' },
  { query: 'query ($f: CustomerFilter) { customers(filter: $f) { totalCount } }', variables: { f: { serch: 'a' } } },
  {
    query: 'query ($f: CustomerFilter) { customers(filter: $f) { totalCount } }',
    variables: { f: { status: ['ACTIV'] } },
  },
];

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Suggestions');
});
afterAll(async () => {
  await Promise.all(gateways.map((gateway) => gateway.close()));
  await graph?.close();
});

describe('"Did you mean …?"', () => {
  it('is said outside production', async () => {
    const development = await gatewayWith(false);
    for (const { query, variables } of MISSPELT) {
      expect(JSON.stringify((await request(development.url, query, variables)).errors), query).toContain(
        'Did you mean',
      );
    }
  });

  it('is never said in production, over HTTP or WebSocket', async () => {
    const production = await gatewayWith(true);
    for (const { query, variables } of MISSPELT) {
      const response = await request(production.url, query, variables);
      expect(response.status, query).toBe(200);
      expect(response.errors?.length, query).toBeGreaterThan(0);
      expect(JSON.stringify(response.errors), query).not.toContain('Did you mean');
    }
    const refused = await subscribe(
      production.url,
      `subscription { customerSummaryUpdated(customerId: "${store.id}") { fulName } }`,
    );
    expect(JSON.stringify(refused)).toContain('Cannot query field');
    expect(JSON.stringify(refused)).not.toContain('Did you mean');
  });
});
