import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

let graph: TestGraph;
let store: TestStore;

beforeAll(async () => {
  graph = await startTestGraph({ explorer: { token: 'demo-token' } });
  store = await graph.createStore();
});
afterAll(() => graph?.close());

describe('gateway', () => {
  it('answers /health', async () => {
    const response = await fetch(new URL('/health', graph.gatewayUrl));
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('serves the explorer to a browser at the GraphQL URL, with its assets from its own dependencies', async () => {
    const page = await fetch(graph.gatewayUrl, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('Bearer demo-token');
    expect(html).toContain('query CustomerDetail');
    const scripts = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((match) => match[1]!);
    expect(scripts.length).toBeGreaterThanOrEqual(4);
    for (const asset of scripts) {
      expect(asset.startsWith('/')).toBe(true);
      const response = await fetch(new URL(asset, graph.gatewayUrl));
      expect(response.status, asset).toBe(200);
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(1000);
    }
  });

  it('passes a subgraph’s BAD_USER_INPUT for a bad scalar value through', async () => {
    const response = await store.request(
      `mutation($input: AdjustWalletInput!) { adjustWallet(input: $input) { entry { id } } }`,
      {
        input: { customerId: crypto.randomUUID(), amount: 100, currency: 'EUR', reason: 'x', expiresAt: 'not a date' },
      },
    );
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(response.errors?.[0]?.message).toContain('expiresAt');
  });

  it('names the field of a variable of the wrong type', async () => {
    const response = await store.request(
      `mutation($input: AdjustWalletInput!) { adjustWallet(input: $input) { entry { id } } }`,
      { input: { customerId: crypto.randomUUID(), amount: 1.5, currency: 'EUR', reason: 'x' } },
    );
    expect(response.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.amount' }],
    });
  });

  it('rejects an unknown field with GRAPHQL_VALIDATION_FAILED', async () => {
    const response = await store.request(`{ customers { nope } }`);
    expect(response.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('rejects an oversized body with 413', async () => {
    const response = await fetch(graph.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${store.token}` },
      body: JSON.stringify({ query: `{ customers { totalCount } }`, padding: 'x'.repeat(2_000_000) }),
    });
    expect(response.status).toBe(413);
  });
});
