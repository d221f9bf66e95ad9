import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A request line at the start of an HTTP/1.1 request. A JSON body cannot hold one: its strings
 * never contain a raw CR LF.
 */
const REQUEST_LINE = /(?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) (\/[^ ?\r\n]*)[^ \r\n]* HTTP\/1\.[01]\r\n/g;
/** Longer than any request line it counts, so one cut by a chunk boundary is seen whole next time. */
const TAIL_BYTES = 512;

export interface Balancer {
  /** The first backend's URL with the balancer's host and port: where clients are sent. */
  url: string;
  backends: string[];
  /** HTTP requests each backend received through the balancer, by path (`/graphql`, `/access`…). */
  requests(): Record<string, number>[];
  /** TCP connections each backend was given. */
  connections(): number[];
  close(): Promise<void>;
}

/**
 * A round-robin TCP proxy in front of several processes of one service, as a load balancer or a
 * Kubernetes Service spreads connections over replicas: each new connection goes to the next
 * backend, and stays there (keep-alive requests follow their connection). It counts the requests
 * each backend received, so a test can show that every process served some.
 */
export async function startBalancer(backends: string[], host = '127.0.0.1'): Promise<Balancer> {
  if (backends.length === 0) throw new Error('A balancer needs at least one backend');
  const targets = backends.map((backend) => new URL(backend));
  const requests = targets.map(() => ({}) as Record<string, number>);
  const connections = targets.map(() => 0);
  const sockets = new Set<Socket>();
  let next = 0;

  const server = createServer((client) => {
    const index = next;
    next = (next + 1) % targets.length;
    connections[index]! += 1;
    const target = targets[index]!;
    const upstream = createConnection({ host: target.hostname, port: Number(target.port) });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      // A peer gone mid-request ends both sides; the client sees a reset, as through a real balancer.
      socket.on('error', () => {
        client.destroy();
        upstream.destroy();
      });
    }
    let tail = '';
    client.on('data', (chunk: Buffer) => {
      const text = tail + chunk.toString('latin1');
      for (const match of text.matchAll(REQUEST_LINE)) {
        if (match.index + match[0].length <= tail.length) continue; // counted with the last chunk
        requests[index]![match[1]!] = (requests[index]![match[1]!] ?? 0) + 1;
      }
      tail = text.slice(-TAIL_BYTES);
    });
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('The balancer has no TCP address');
  const url = new URL(targets[0]!);
  url.hostname = host;
  url.port = String(address.port);

  return {
    url: url.toString(),
    backends,
    requests: () => requests.map((byPath) => ({ ...byPath })),
    connections: () => [...connections],
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}
