/**
 * Records the subgraph requests our gateway makes for an operation: a recording proxy in front of
 * each subgraph (one port each, since `/access` sits beside `/graphql`) forwards every request and
 * keeps it with its answer and when each began and ended. The operation is sent several times, one
 * at a time; a request waits for another when, every time, it began only after the other's answer
 * was back: the plan's sequence. Requests that overlapped at least once ran in parallel.
 */
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Asks the replay to compare every subgraph answer with the recorded one (replay-process.ts). */
export const VERIFY_HEADER = 'x-bench-verify';

export interface CapturedCall {
  subgraph: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  response: string;
  /** Indexes of the calls (earlier in the list) whose answers it waits for. */
  after: number[];
}

export interface CapturedOperation {
  /** The client's request body, as the load generator sends it. */
  request: string;
  /** Our gateway's answer. */
  response: string;
  calls: CapturedCall[];
}

interface Recorded extends Omit<CapturedCall, 'after'> {
  start: number;
  end: number;
}

const DROPPED_HEADERS = new Set(['host', 'connection', 'content-length', 'keep-alive', 'transfer-encoding']);

function flatHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).flatMap(([name, value]) =>
      value === undefined || DROPPED_HEADERS.has(name) ? [] : [[name, Array.isArray(value) ? value.join(', ') : value]],
    ),
  );
}

export interface Recorder {
  /** Subgraph name → the proxy's URL with the subgraph's path. */
  urls: Record<string, string>;
  /** The requests recorded since the last call. */
  take(): Recorded[];
  close(): Promise<void>;
}

export async function startRecorder(subgraphUrls: Record<string, string>): Promise<Recorder> {
  let recorded: Recorded[] = [];
  const servers: Server[] = [];
  const urls: Record<string, string> = {};
  for (const [subgraph, target] of Object.entries(subgraphUrls)) {
    const origin = new URL(target);
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const start = performance.now();
        const body = Buffer.concat(chunks);
        const headers = flatHeaders(req.headers);
        const forward = httpRequest(
          {
            host: origin.hostname,
            port: origin.port,
            path: req.url,
            method: req.method,
            headers: { ...headers, 'content-length': body.length },
          },
          (answer) => {
            const parts: Buffer[] = [];
            answer.on('data', (chunk: Buffer) => parts.push(chunk));
            answer.on('end', () => {
              const response = Buffer.concat(parts);
              res.writeHead(answer.statusCode ?? 502, flatHeaders(answer.headers));
              res.end(response, () => {
                recorded.push({
                  subgraph,
                  method: req.method ?? 'GET',
                  path: req.url ?? '/',
                  headers,
                  body: body.toString('utf8'),
                  status: answer.statusCode ?? 0,
                  response: response.toString('utf8'),
                  start,
                  end: performance.now(),
                });
              });
            });
          },
        );
        forward.on('error', (error) => res.destroy(error));
        forward.end(body);
      });
    });
    await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
    servers.push(server);
    urls[subgraph] = `http://127.0.0.1:${(server.address() as AddressInfo).port}${origin.pathname}`;
  }
  return {
    urls,
    take() {
      const taken = recorded;
      recorded = [];
      return taken;
    },
    async close() {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise<void>((closed) => server.close(() => closed()));
      }
    },
  };
}

const identity = (call: Pick<Recorded, 'subgraph' | 'method' | 'path' | 'body'>) =>
  `${call.subgraph} ${call.method} ${call.path} ${call.body}`;

/** The calls of one operation from several recordings of it, with the order they depend on. */
export function capturedOperation(request: string, response: string, recordings: Recorded[][]): CapturedOperation {
  const keyed = recordings.map((recording) => {
    const seen = new Map<string, number>();
    const byKey = new Map<string, Recorded>();
    for (const call of [...recording].sort((a, b) => a.start - b.start)) {
      const base = identity(call);
      const n = seen.get(base) ?? 0;
      seen.set(base, n + 1);
      byKey.set(`${n} ${base}`, call);
    }
    return byKey;
  });
  const first = keyed[0]!;
  const keys = [...first.keys()];
  for (const other of keyed.slice(1)) {
    if (other.size !== first.size || keys.some((key) => !other.has(key)))
      throw new Error('Our gateway made different subgraph requests for the same operation on different runs');
  }
  const calls = keys.map((key, index) => {
    const call = first.get(key)!;
    const after = keys
      .slice(0, index)
      .flatMap((earlier, earlierIndex) =>
        keyed.every((run) => run.get(earlier)!.end <= run.get(key)!.start) ? [earlierIndex] : [],
      );
    return {
      subgraph: call.subgraph,
      method: call.method,
      path: call.path,
      headers: call.headers,
      body: call.body,
      status: call.status,
      response: call.response,
      after,
    };
  });
  return { request, response, calls };
}

/** The plan as stages: each call's depth in the dependency order (0: sent first). */
export function stagesOf(operation: CapturedOperation): string[][] {
  const depth: number[] = [];
  operation.calls.forEach((call, index) => {
    depth[index] = call.after.length ? Math.max(...call.after.map((i) => depth[i]!)) + 1 : 0;
  });
  const stages: string[][] = [];
  operation.calls.forEach((call, index) => {
    (stages[depth[index]!] ??= []).push(`${call.subgraph} ${call.method} ${call.path.split('?')[0]}`);
  });
  return stages;
}
