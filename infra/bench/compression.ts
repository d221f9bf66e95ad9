/**
 * `pnpm bench --compression`: the customer detail through the gateway with compression asked for
 * and not, in the same run: rounds that take turns between `identity`, `gzip` and `br`, each a
 * batch of requests sent `concurrency` at a time, so that the gateway is busy and a busy machine
 * slows every encoding alike. Bytes are the response bodies as they come over the wire (node:http,
 * which, unlike fetch, does not decompress), so requests/s is the gateway's, not the client's
 * decompression.
 */
import { Agent, request as httpRequest } from 'node:http';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { BenchContext, GraphRequest } from './scenarios.ts';
import { scenarios } from './scenarios.ts';

export interface CompressionResult {
  encoding: string;
  requests: number;
  perSecond: number;
  meanBytes: number;
  medianMs: number;
  /** CPU time of compressing one response body alone, in the bench's process. */
  compressMs?: number;
}

const ENCODINGS = ['identity', 'gzip', 'br'] as const;
const SCENARIO = 'customer detail, 5 customers with median orders';

function post(agent: Agent, url: string, token: string, request: GraphRequest, encoding: string) {
  return new Promise<number>((resolve, reject) => {
    const req = httpRequest(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-encoding': encoding },
      },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => (bytes += chunk.length));
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`HTTP ${res.statusCode}`));
          else if ((res.headers['content-encoding'] ?? 'identity') !== encoding) {
            reject(new Error(`asked for ${encoding}, got ${res.headers['content-encoding'] ?? 'identity'}`));
          } else resolve(bytes);
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(request));
  });
}

export async function compareCompression(
  ctx: BenchContext,
  token: string,
  options: { rounds: number; batch: number; concurrency: number },
): Promise<CompressionResult[]> {
  const scenario = scenarios().find((candidate) => candidate.name === SCENARIO)!;
  const { requests } = await scenario.prepare(ctx);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const url = ctx.graph.gateway.url;
  const totals = Object.fromEntries(
    ENCODINGS.map((encoding) => [encoding, { ms: 0, requests: 0, bytes: 0, latencies: [] as number[] }]),
  );
  let next = 0;
  const batch = async (encoding: string) => {
    let left = options.batch;
    const worker = async () => {
      while (left > 0) {
        left -= 1;
        const request = requests[next++ % requests.length]!;
        const t0 = performance.now();
        const bytes = await post(agent, url, token, request, encoding);
        totals[encoding]!.latencies.push(performance.now() - t0);
        totals[encoding]!.bytes += bytes;
        totals[encoding]!.requests += 1;
      }
    };
    const t0 = performance.now();
    await Promise.all(Array.from({ length: options.concurrency }, worker));
    totals[encoding]!.ms += performance.now() - t0;
  };
  // Warm-up, not counted: the JIT, the query plan cache, zlib's thread pool.
  for (const encoding of ENCODINGS) await batch(encoding);
  for (const total of Object.values(totals)) Object.assign(total, { ms: 0, requests: 0, bytes: 0, latencies: [] });
  for (let round = 0; round < options.rounds; round += 1) {
    // Each round in another order, so that no encoding always follows the same one.
    const order = ENCODINGS.map((_, i) => ENCODINGS[(i + round) % ENCODINGS.length]!);
    for (const encoding of order) await batch(encoding);
  }
  agent.destroy();
  const cost = await compressionCost(ctx, requests[0]!);
  return ENCODINGS.map((encoding) => {
    const total = totals[encoding]!;
    const sorted = [...total.latencies].sort((a, b) => a - b);
    return {
      encoding,
      requests: total.requests,
      perSecond: (1000 * total.requests) / total.ms,
      meanBytes: total.bytes / total.requests,
      medianMs: sorted[Math.floor(sorted.length / 2)]!,
      ...(encoding === 'identity' ? {} : { compressMs: cost[encoding] }),
    };
  });
}

/**
 * What compressing one customer detail costs by itself, with the gateway's settings: the share of
 * a request's time that compression can take, whatever the load on the machine.
 */
async function compressionCost(ctx: BenchContext, request: GraphRequest) {
  const body = Buffer.from(JSON.stringify({ data: await ctx.request(request) }));
  const time = (compress: () => Buffer) => {
    for (let i = 0; i < 50; i += 1) compress();
    const t0 = performance.now();
    for (let i = 0; i < 500; i += 1) compress();
    return (performance.now() - t0) / 500;
  };
  return {
    gzip: time(() => gzipSync(body)),
    br: time(() =>
      brotliCompressSync(body, {
        params: {
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
          [constants.BROTLI_PARAM_QUALITY]: 4,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
    ),
  };
}
