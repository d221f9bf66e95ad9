import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError } from 'graphql';
import { ErrorCode } from './errors.ts';
import { appendVary } from './vary.ts';

export type RouteHandler = (req: IncomingMessage, res: ServerResponse, url: URL) => void | Promise<void>;

/** Lets a request's context end what it opened (a subgraph's database transaction). */
export interface RequestEnd {
  /**
   * `finish(ok)` runs once Apollo is done with the request, and before the response is written,
   * so a client's next request sees its writes; `ok` is false when Apollo threw. When `finish`
   * throws, the client gets a 500 instead of the response.
   */
  onEnd(finish: (ok: boolean) => Promise<void>): void;
}

export interface GraphQLHttpServerOptions<TContext extends BaseContext> {
  apollo: ApolloServer<TContext>;
  context: (req: IncomingMessage, end: RequestEnd) => Promise<TContext>;
  port?: number;
  host?: string;
  path?: string;
  /** Other routes served on the same port (health, explorer assets). */
  routes?: Record<string, RouteHandler>;
  /** Answers a browser's GET of the GraphQL path (the explorer); otherwise Apollo's default. */
  browserPage?: RouteHandler;
  maxBodyBytes?: number;
  /**
   * Runs first for every request to the GraphQL path (the gateway's CORS): it may set response
   * headers, and returns true when it has answered the request itself (a CORS preflight).
   */
  onGraphQLRequest?: (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;
  /**
   * Turns a complete GraphQL response body into what is written (the gateway's compression); it
   * may set headers on `res` (`content-encoding`, `vary`). Incremental responses are written as
   * they are.
   */
  encodeBody?: (req: IncomingMessage, res: ServerResponse, body: string) => Promise<string | Buffer>;
  /**
   * Adds to the server before it listens, e.g. a WebSocket server on the GraphQL path; what it
   * returns is closed first when the server closes.
   */
  attach?: (httpServer: Server, path: string) => { close(): Promise<void> };
}

export interface RunningHttpServer {
  url: string;
  port: number;
  httpServer: Server;
  close(): Promise<void>;
}

export class PayloadTooLargeError extends Error {}

/** A body that is not UTF-8: refused with 400 before it reaches Apollo (or a subgraph, tripled). */
class InvalidBodyEncodingError extends Error {}

/**
 * Serves an Apollo Server (subgraph or gateway) on Node's own http module: Apollo Server 5 no
 * longer bundles a framework integration, and the gateway needs the same port for the explorer
 * and WebSocket subscriptions.
 */
export async function startGraphQLHttpServer<TContext extends BaseContext>(
  options: GraphQLHttpServerOptions<TContext>,
): Promise<RunningHttpServer> {
  const path = options.path ?? '/graphql';
  const maxBodyBytes = options.maxBodyBytes ?? 1_000_000;
  await options.apollo.start();

  const httpServer = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      if (error instanceof PayloadTooLargeError) {
        refuseOversizedBody(req, res, maxBodyBytes);
        return;
      }
      if (error instanceof InvalidBodyEncodingError) {
        sendJson(res, 400, {
          errors: [
            { message: 'The request body is not valid UTF-8', extensions: { code: ApolloServerErrorCode.BAD_REQUEST } },
          ],
        });
        return;
      }
      // A dependency away (a lost database connection at COMMIT): retriable, in a 200 body, where a
      // gateway reads a subgraph's errors.
      if (error instanceof GraphQLError && error.extensions.code === ErrorCode.SERVICE_UNAVAILABLE) {
        sendJson(res, 200, {
          errors: [{ message: error.message, extensions: { code: error.extensions.code, retriable: true } }],
        });
        return;
      }
      sendJson(res, 500, {
        errors: [{ message: 'Internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } }],
      });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = options.routes?.[url.pathname];
    if (route) return route(req, res, url);
    if (url.pathname !== path) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
      return;
    }
    if (options.onGraphQLRequest && (await options.onGraphQLRequest(req, res))) return;
    if (req.method === 'GET' && options.browserPage && wantsHtml(req)) return options.browserPage(req, res, url);

    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const raw = req.method === 'POST' ? await readBody(req, maxBodyBytes) : '';
    const finishers: ((ok: boolean) => Promise<void>)[] = [];
    let response: Awaited<ReturnType<typeof options.apollo.executeHTTPGraphQLRequest>>;
    try {
      response = await options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: req.method ?? 'GET', headers, search: url.search, body: parseBody(raw, headers) },
        context: () => options.context(req, { onEnd: (finish) => void finishers.push(finish) }),
      });
    } catch (error) {
      await finishAll(finishers, false).catch(() => {});
      throw error;
    }
    // Set one by one, so that a `vary` of Apollo's adds to what onGraphQLRequest set; only once the
    // request has ended well, so that a 500 carries none of them.
    const setHeaders = () => {
      for (const [key, value] of response.headers) {
        if (key === 'vary') value.split(',').forEach((field) => appendVary(res, field.trim()));
        else res.setHeader(key, value);
      }
    };
    if (response.body.kind === 'complete') {
      await finishAll(finishers, true);
      setHeaders();
      const body = options.encodeBody ? await options.encodeBody(req, res, response.body.string) : response.body.string;
      res.setHeader('content-length', Buffer.byteLength(body));
      res.writeHead(response.status ?? 200);
      res.end(body);
      return;
    }
    // Incremental delivery keeps executing while it streams: its end comes after the last chunk.
    let streamed = false;
    try {
      setHeaders();
      res.writeHead(response.status ?? 200);
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      streamed = true;
    } finally {
      await finishAll(finishers, streamed);
    }
    res.end();
  }

  const attached = options.attach?.(httpServer, path);
  try {
    await new Promise<void>((resolve, reject) => {
      httpServer.once('error', reject);
      httpServer.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
        httpServer.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    await attached?.close();
    await options.apollo.stop();
    throw error;
  }
  const { port } = httpServer.address() as AddressInfo;
  const host = options.host && options.host !== '0.0.0.0' ? options.host : '127.0.0.1';

  return {
    url: `http://${host}:${port}${path}`,
    port,
    httpServer,
    async close() {
      await attached?.close();
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      await options.apollo.stop();
      httpServer.closeAllConnections();
      await closed;
    },
  };
}

/** Runs every finisher even when one fails; then throws the first failure. */
async function finishAll(finishers: ((ok: boolean) => Promise<void>)[], ok: boolean): Promise<void> {
  const results = await Promise.allSettled(finishers.map((finish) => finish(ok)));
  const failed = results.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
}

function wantsHtml(req: IncomingMessage): boolean {
  const accept = req.headers.accept ?? '';
  return accept.includes('text/html') && !req.url?.includes('query=');
}

/**
 * Reads the body up to `limit` bytes as UTF-8 (anything else is refused, rather than each invalid
 * byte becoming a three-byte replacement character), whether the client declared a content-length or sent it
 * chunked. On overflow it stops collecting but leaves the request open (a `for await` loop would
 * destroy the socket under the 413 that is about to be written).
 */
function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(req.headers['content-length'] ?? 0) > limit) {
      reject(new PayloadTooLargeError());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) {
        chunks.push(chunk);
        return;
      }
      cleanup();
      reject(new PayloadTooLargeError());
    };
    const onEnd = () => {
      cleanup();
      try {
        resolve(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
      } catch {
        reject(new InvalidBodyEncodingError());
      }
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    const onClose = () => onError(new Error('The client closed the request before its end'));
    const cleanup = () => {
      req.off('data', onData).off('end', onEnd).off('error', onError).off('close', onClose);
    };
    req.on('data', onData).on('end', onEnd).on('error', onError).on('close', onClose);
  });
}

/**
 * 413 with `connection: close`. The rest of the body is read and dropped meanwhile: closing a
 * socket with unread data makes TCP reset it, and the client may lose the response. A client that
 * keeps sending after the response loses its connection a second later.
 */
function refuseOversizedBody(req: IncomingMessage, res: ServerResponse, limit: number): void {
  req.resume();
  res.once('finish', () => {
    const timer = setTimeout(() => req.socket.destroy(), 1000);
    timer.unref();
    req.socket.once('close', () => clearTimeout(timer));
  });
  res.writeHead(413, { 'content-type': 'application/json', connection: 'close' });
  res.end(
    JSON.stringify({
      errors: [{ message: `Request body exceeds ${limit} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE', limit } }],
    }),
  );
}

function parseBody(raw: string, headers: HeaderMap): unknown {
  if (!raw) return undefined;
  const type = headers.get('content-type') ?? '';
  if (type.includes('application/json') || type.includes('application/graphql-response+json')) {
    try {
      return JSON.parse(raw);
    } catch {
      // Apollo answers a non-object body with a 400 that explains it.
      return raw;
    }
  }
  return raw;
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** A request header's first value: Node gives repeated headers as arrays. */
export function headerValue(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}
