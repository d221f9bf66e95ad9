/**
 * The load: `concurrency` clients, each sending the next request as soon as its previous answer is
 * in, for a fixed time, over keep-alive connections (node:http, one socket per client). Every
 * answer must be a 200 without `errors`; the others are counted, not timed.
 */
import { Agent, request as httpRequest } from 'node:http';

export interface Target {
  url: string;
  agent: Agent;
}

export const target = (url: string): Target => ({ url, agent: new Agent({ keepAlive: true, maxSockets: 64 }) });

export interface LoadResult {
  ok: number;
  failed: number;
  /** From the first request sent to the last answer received. */
  seconds: number;
  latencies: number[];
  /** The first failure's status and body, to say what went wrong. */
  firstFailure?: string;
}

export function post(
  to: Target,
  body: string,
  headers: Record<string, string>,
): Promise<{ status: number; body: Buffer }> {
  const url = new URL(to.url);
  const payload = Buffer.from(body);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        agent: to.agent,
        headers: { 'content-type': 'application/json', 'content-length': payload.length, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const ERRORS = Buffer.from('"errors"');

export async function runLoad(
  to: Target,
  bodies: string[],
  headers: Record<string, string>,
  concurrency: number,
  seconds: number,
): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, failed: 0, seconds: 0, latencies: [] };
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async () => {
    while (performance.now() < deadline) {
      const body = bodies[next++ % bodies.length]!;
      const t0 = performance.now();
      try {
        const answer = await post(to, body, headers);
        if (answer.status === 200 && !answer.body.includes(ERRORS)) {
          result.ok += 1;
          result.latencies.push(performance.now() - t0);
        } else {
          result.failed += 1;
          result.firstFailure ??= `HTTP ${answer.status}: ${answer.body.toString('utf8').slice(0, 500)}`;
        }
      } catch (error) {
        result.failed += 1;
        result.firstFailure ??= (error as Error).message;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, client));
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
