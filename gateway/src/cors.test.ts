import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { CORS_ALLOWED_HEADERS, CORS_MAX_AGE_SECONDS, CORS_METHODS } from './cors.ts';

const ADMIN = 'https://admin.example.com';
const EVIL = 'https://evil.example';

let graph: TestGraph;
let store: TestStore;

beforeAll(async () => {
  graph = await startTestGraph({ cors: { origins: [ADMIN] } });
  store = await graph.createStore('CORS store');
});
afterAll(() => graph?.close());

const preflight = (origin: string, requestHeaders = 'content-type, authorization, x-store-id') =>
  fetch(graph.gatewayUrl, {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });

const query = (origin: string | undefined, init: RequestInit = {}) =>
  fetch(graph.gatewayUrl, {
    method: 'POST',
    ...init,
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${store.token}`,
      ...(origin ? { origin } : {}),
      ...(init.headers as Record<string, string>),
    },
    body: init.body ?? JSON.stringify({ query: '{ customers { totalCount } }' }),
  });

describe('CORS', () => {
  it('answers an allowed origin’s preflight with 204 and what its requests may carry', async () => {
    const response = await preflight(ADMIN);
    expect(response.status).toBe(204);
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': ADMIN,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': CORS_METHODS.join(','),
      'access-control-allow-headers': CORS_ALLOWED_HEADERS.join(','),
      'access-control-max-age': String(CORS_MAX_AGE_SECONDS),
    });
    expect(response.headers.get('vary')).toContain('Origin');
    expect(CORS_ALLOWED_HEADERS).toEqual(
      expect.arrayContaining(['content-type', 'authorization', 'x-store-id', 'apollo-require-preflight']),
    );
  });

  it('gives a disallowed origin no CORS header, and its preflight goes on to the CSRF refusal', async () => {
    const response = await preflight(EVIL);
    expect(response.status).toBe(400);
    expect([...response.headers.keys()].filter((name) => name.startsWith('access-control-'))).toEqual([]);
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('lets an allowed origin read the answer, with credentials', async () => {
    const response = await query(ADMIN);
    expect(response.status).toBe(200);
    expect(response.headers.get('access-control-allow-origin')).toBe(ADMIN);
    expect(response.headers.get('access-control-allow-credentials')).toBe('true');
    expect(response.headers.get('vary')).toContain('Origin');
    expect(await response.json()).toEqual({ data: { customers: { totalCount: 0 } } });
  });

  it('sends a disallowed origin no CORS header, so its browser withholds the answer', async () => {
    const response = await query(EVIL);
    expect(response.headers.get('access-control-allow-origin')).toBeNull();
    expect(response.headers.get('access-control-allow-credentials')).toBeNull();
    expect(response.headers.get('vary')).toContain('Origin');
  });

  it('allows localhost on any port outside production', async () => {
    const response = await preflight('http://localhost:5173');
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
  });

  it('keeps CSRF prevention for a request a browser sends without a preflight, whatever its origin', async () => {
    for (const origin of [ADMIN, EVIL]) {
      const simple = await query(origin, {
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ query: '{ customers { totalCount } }' }),
      });
      expect(simple.status, origin).toBe(400);
      expect(await simple.text(), origin).toContain('CSRF');
      const get = await fetch(`${graph.gatewayUrl}?query=${encodeURIComponent('{ __typename }')}`, {
        headers: { origin, authorization: `Bearer ${store.token}` },
      });
      expect(get.status, origin).toBe(400);
    }
  });
});
