import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEFAULT_TIMEOUTS,
  ServiceUnavailableError,
  fetchTimeouts,
  fetchWithin,
  isQueryBody,
  subgraphFetcher,
  type SubgraphRequestInit,
} from './subgraph-fetcher.ts';

describe('fetchTimeouts', () => {
  it('takes options over the environment over the defaults', () => {
    expect(fetchTimeouts({}, {})).toEqual(DEFAULT_TIMEOUTS);
    expect(fetchTimeouts({}, { SUBGRAPH_TIMEOUT_MS: '1500', ACCESS_TIMEOUT_MS: '700' })).toEqual({
      subgraphMs: 1500,
      accessMs: 700,
    });
    expect(fetchTimeouts({ subgraphMs: 900 }, { SUBGRAPH_TIMEOUT_MS: '1500' })).toEqual({
      subgraphMs: 900,
      accessMs: DEFAULT_TIMEOUTS.accessMs,
    });
  });

  it('fails the start on a value that is not a positive integer', () => {
    expect(() => fetchTimeouts({}, { SUBGRAPH_TIMEOUT_MS: 'soon' })).toThrow(/SUBGRAPH_TIMEOUT_MS must be a positive/);
    expect(() => fetchTimeouts({ accessMs: 0 }, {})).toThrow(/timeouts.accessMs option must be a positive/);
  });
});

describe('isQueryBody', () => {
  it('tells queries, which may be sent twice, from mutations', () => {
    const body = (query: string, operationName?: string) => JSON.stringify({ query, operationName });
    expect(isQueryBody(body('query Q__engagement__1 { _entities { __typename } }'))).toBe(true);
    expect(isQueryBody(body('{ a }'))).toBe(true);
    expect(isQueryBody(body('mutation M { adjustWallet { id } }'))).toBe(false);
    expect(isQueryBody(body('query A { a } mutation B { b }', 'B'))).toBe(false);
    expect(isQueryBody(body('not graphql'))).toBe(false);
    expect(isQueryBody(undefined)).toBe(false);
  });
});

/**
 * A real HTTP server on loopback that misbehaves on purpose: `/close-first` closes the socket of the
 * first request it receives without answering (as a keep-alive socket closed by the other side);
 * `/stall` never answers. It counts what it received.
 */
let server: Server;
let base: string;
const received: Record<string, number> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const path = req.url ?? '/';
    received[path] = (received[path] ?? 0) + 1;
    req.resume();
    if (path === '/close-first' && received[path] === 1) return void req.socket.destroy();
    if (path === '/stall') return;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: { ok: true } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const post = (query: string): SubgraphRequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query }),
});

describe('fetchWithin', () => {
  it('sends an idempotent request again, once, after a closed socket', async () => {
    received['/close-first'] = 0;
    const response = await fetchWithin('engagement', `${base}/close-first`, post('{ ok }'), {
      timeoutMs: 5000,
      idempotent: () => true,
    });
    expect(await response.json()).toEqual({ data: { ok: true } });
    expect(received['/close-first']).toBe(2);
  });

  it('never sends a mutation twice', async () => {
    received['/close-first'] = 0;
    const fetcher = subgraphFetcher('engagement', 5000);
    const response = await fetcher(`${base}/close-first`, post('mutation { adjust }'));
    expect(await response.json()).toEqual({
      data: null,
      errors: [
        {
          message: 'The engagement service is unavailable',
          extensions: { code: 'SERVICE_UNAVAILABLE', service: 'engagement', reason: 'UNREACHABLE' },
        },
      ],
    });
    expect(received['/close-first']).toBe(1);
  });

  it('gives up at the deadline with an error naming the service', async () => {
    received['/stall'] = 0;
    const failure = await fetchWithin('engagement', `${base}/stall`, post('{ ok }'), {
      timeoutMs: 200,
      idempotent: () => true,
    }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ServiceUnavailableError);
    expect(failure).toMatchObject({ service: 'engagement', reason: 'TIMEOUT' });
    expect(received['/stall']).toBe(1);
  });

  it('answers a refused connection as unavailable, without the URL', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(closed.address() as AddressInfo).port}/graphql`;
    await new Promise((resolve) => closed.close(resolve));
    const response = await subgraphFetcher('consent', 1000)(url, post('{ ok }'));
    const text = await response.text();
    expect(JSON.parse(text).errors[0].extensions).toEqual({
      code: 'SERVICE_UNAVAILABLE',
      service: 'consent',
      reason: 'UNREACHABLE',
    });
    expect(text).not.toContain('127.0.0.1');
  });
});
