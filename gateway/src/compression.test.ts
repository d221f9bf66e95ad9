import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

let graph: TestGraph;
let store: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Compression store');
  for (let i = 0; i < 20; i += 1) await store.createCustomer();
});
afterAll(() => graph?.close());

const LIST = '{ customers(first: 20) { edges { node { id fullName email createdAt } } } }';
const SMALL = '{ customers { totalCount } }';

/** The bytes as they come over the wire: fetch would decompress them. */
function post(query: string, acceptEncoding?: string) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }>(
    (resolve, reject) => {
      const body = JSON.stringify({ query });
      const req = httpRequest(
        graph.gatewayUrl,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            authorization: `Bearer ${store.token}`,
            ...(acceptEncoding === undefined ? {} : { 'accept-encoding': acceptEncoding }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    },
  );
}

describe('response compression', () => {
  it('sends brotli or gzip as Accept-Encoding prefers, the same JSON, smaller', async () => {
    const plain = await post(LIST);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.length).toBeGreaterThan(2000);
    expect(plain.headers.vary).toContain('Accept-Encoding');
    const json = JSON.parse(plain.body.toString());
    expect(json.data.customers.edges).toHaveLength(20);

    const br = await post(LIST, 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toContain('Accept-Encoding');
    expect(br.headers['content-length']).toBe(String(br.body.length));
    expect(JSON.parse(brotliDecompressSync(br.body).toString())).toEqual(json);
    expect(br.body.length).toBeLessThan(plain.body.length / 2);

    const gzip = await post(LIST, 'br;q=0.5, gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.body).toString())).toEqual(json);
    expect(gzip.body.length).toBeLessThan(plain.body.length / 2);

    const refused = await post(LIST, 'br;q=0, gzip;q=0');
    expect(refused.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(refused.body.toString())).toEqual(json);
  });

  it('sends a body under 1 kB as it is', async () => {
    const small = await post(SMALL, 'br, gzip');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(small.body.toString())).toEqual({ data: { customers: { totalCount: 20 } } });
  });
});
