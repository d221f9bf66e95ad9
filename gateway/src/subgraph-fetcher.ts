import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import { getOperationAST, parse } from 'graphql';
import { Agent, request, type Dispatcher } from 'undici';
import { ErrorCode } from '@cg/http';

/** How long the gateway waits for one answer, in milliseconds, body included. */
export interface FetchTimeouts {
  /** A subgraph fetch (`SUBGRAPH_TIMEOUT_MS`). */
  subgraphMs: number;
  /** The staff access lookup, `GET /access` on the customer subgraph (`ACCESS_TIMEOUT_MS`). */
  accessMs: number;
}

export const DEFAULT_TIMEOUTS: FetchTimeouts = { subgraphMs: 10_000, accessMs: 5_000 };

const ENV_NAMES: Record<keyof FetchTimeouts, string> = {
  subgraphMs: 'SUBGRAPH_TIMEOUT_MS',
  accessMs: 'ACCESS_TIMEOUT_MS',
};

/** Options win over the environment (`SUBGRAPH_TIMEOUT_MS`, `ACCESS_TIMEOUT_MS`), which wins over the defaults. */
export function fetchTimeouts(
  options: Partial<FetchTimeouts> = {},
  env: NodeJS.ProcessEnv = process.env,
): FetchTimeouts {
  const timeouts = { ...DEFAULT_TIMEOUTS };
  for (const key of Object.keys(DEFAULT_TIMEOUTS) as (keyof FetchTimeouts)[]) {
    const envName = ENV_NAMES[key];
    let value: number;
    let source: string;
    if (options[key] !== undefined) [value, source] = [options[key], `The timeouts.${key} option`];
    else if (env[envName]?.trim()) [value, source] = [Number(env[envName]), envName];
    else continue;
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new Error(
        `${source} must be a positive integer of milliseconds, got ${source === envName ? JSON.stringify(env[envName]) : value}`,
      );
    }
    timeouts[key] = value;
  }
  return timeouts;
}

/** Why a service could not be used: no answer within the deadline, or no connection at all. */
export type UnavailableReason = 'TIMEOUT' | 'UNREACHABLE';

/** The request did not get an answer; its `cause` (kept for the log) is never shown to a client. */
export class ServiceUnavailableError extends Error {
  constructor(
    readonly service: string,
    readonly reason: UnavailableReason,
    options?: ErrorOptions,
  ) {
    super(
      reason === 'TIMEOUT' ? `The ${service} service did not answer in time` : `The ${service} service is unavailable`,
      options,
    );
    this.name = 'ServiceUnavailableError';
  }
}

/** The error's own network code, or that of its cause (fetch wraps them, undici does not). */
function codeOf(error: unknown): { code?: string; message?: string } | undefined {
  const own = error as { code?: unknown; message?: string; cause?: { code?: unknown; message?: string } } | null;
  if (!own) return undefined;
  if (typeof own.code === 'string') return { code: own.code, message: own.message };
  if (own.cause)
    return { code: typeof own.cause.code === 'string' ? own.cause.code : undefined, message: own.cause.message };
  return undefined;
}

/**
 * A keep-alive socket the other side closed while it sat idle in the pool: the request never reached
 * the server. Right after a stalled process resumes, its keep-alive timers fire together and close
 * every idle socket the gateway still holds, so the next request on each fails this way.
 */
function isClosedSocket(error: unknown): boolean {
  const found = codeOf(error);
  if (!found) return false;
  return (
    found.code === 'ECONNRESET' ||
    found.code === 'EPIPE' ||
    found.code === 'UND_ERR_SOCKET' ||
    /other side closed/i.test(found.message ?? '')
  );
}

/**
 * One keep-alive pool per subgraph origin for the whole process (undici's Agent keeps a Pool per
 * origin). Idle sockets are closed a little before the subgraph would close them (it announces
 * its own timeout in `Keep-Alive`), which leaves the retry below for the rarer cases: a stalled
 * or restarted subgraph.
 */
const agent = new Agent({ keepAliveTimeout: 4_000, keepAliveTimeoutThreshold: 1_000 });

/** What a subgraph fetch is given: RemoteGraphQLDataSource's request, or the `/access` GET. */
export interface SubgraphRequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signal?: AbortSignal;
}

/**
 * The answer of a subgraph, read whole, as RemoteGraphQLDataSource reads a fetch Response. Its
 * Headers object is built only when asked for: the gateway reads one header of most answers.
 */
export class SubgraphResponse {
  readonly redirected = false;
  readonly bodyUsed = false;
  private builtHeaders?: Headers;

  constructor(
    readonly url: string,
    readonly status: number,
    private readonly body: Buffer,
    private readonly rawHeaders: IncomingHttpHeaders,
  ) {}

  static json(url: string, value: unknown): SubgraphResponse {
    return new SubgraphResponse(url, 200, Buffer.from(JSON.stringify(value)), { 'content-type': 'application/json' });
  }

  /** The same body under another status. */
  withStatus(status: number): SubgraphResponse {
    return new SubgraphResponse(this.url, status, this.body, this.rawHeaders);
  }

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  get statusText(): string {
    return STATUS_CODES[this.status] ?? '';
  }

  get headers(): Headers {
    if (!this.builtHeaders) {
      this.builtHeaders = new Headers();
      for (const [name, value] of Object.entries(this.rawHeaders)) {
        if (value === undefined) continue;
        for (const one of Array.isArray(value) ? value : [value]) this.builtHeaders.append(name, one);
      }
    }
    return this.builtHeaders;
  }

  async text(): Promise<string> {
    return this.body.toString('utf8');
  }

  async json(): Promise<any> {
    return JSON.parse(this.body.toString('utf8'));
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    return new Uint8Array(this.body).buffer;
  }

  clone(): SubgraphResponse {
    return this.withStatus(this.status);
  }
}

/**
 * A request through the keep-alive pools with a deadline over the whole answer (the body is read
 * within it) and, for an idempotent request, one immediate retry on a fresh socket when a pooled
 * one turns out closed. Anything else (a refused connection, the deadline, a second closed socket)
 * is a ServiceUnavailableError.
 */
export async function fetchWithin(
  service: string,
  input: string | URL,
  init: SubgraphRequestInit,
  options: { timeoutMs: number; idempotent: () => boolean },
): Promise<SubgraphResponse> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
  const url = String(input);
  for (let attempt = 1; ; attempt++) {
    try {
      const answer = await request(url, {
        dispatcher: agent,
        method: (init.method ?? 'GET') as Dispatcher.HttpMethod,
        headers: init.headers,
        body: init.body,
        signal,
      });
      const body = Buffer.from(await answer.body.arrayBuffer());
      return new SubgraphResponse(url, answer.statusCode, body, answer.headers);
    } catch (error) {
      if (deadline.aborted) throw new ServiceUnavailableError(service, 'TIMEOUT', { cause: error });
      if (init.signal?.aborted) throw error;
      if (attempt === 1 && isClosedSocket(error) && options.idempotent()) continue;
      throw new ServiceUnavailableError(service, 'UNREACHABLE', { cause: error });
    }
  }
}

/** Whether a GraphQL-over-HTTP body holds a query (not a mutation or subscription): safe to send twice. */
export function isQueryBody(body: unknown): boolean {
  if (typeof body !== 'string') return false;
  try {
    const { query, operationName } = JSON.parse(body) as { query?: string; operationName?: string };
    if (typeof query !== 'string') return false;
    return getOperationAST(parse(query), operationName)?.operation === 'query';
  } catch {
    return false;
  }
}

/** The network error's code for the log (ECONNREFUSED, UND_ERR_SOCKET, ...), if it has one. */
export function networkCode(error: unknown): string {
  const code = codeOf(error)?.code;
  return code ? `, ${code}` : '';
}

/** The GraphQL error a failed section carries: names the service, never its URL or the network error. */
function unavailableError(error: ServiceUnavailableError) {
  return {
    message: error.message,
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, service: error.service, reason: error.reason },
  };
}

/**
 * The fetcher of one subgraph's data source.
 *
 * A subgraph that does not answer in time, or cannot be reached, costs only the fields it resolves:
 * the answer becomes GraphQL errors naming the service (`SERVICE_UNAVAILABLE`), which the gateway
 * places beside the other subgraphs' data, and the fields it would have filled are null. Only
 * queries are retried on a closed keep-alive socket; a mutation is sent once.
 *
 * A subgraph also refuses some requests as a whole with a 4xx and GraphQL errors, as GraphQL over
 * HTTP says: variables failing its own scalar coercion (400), a token it does not accept (401, 403).
 * The gateway would report that as a failed fetch (INTERNAL_SERVER_ERROR); handing the body on
 * keeps the subgraph's code (BAD_USER_INPUT, UNAUTHENTICATED, FORBIDDEN).
 */
export function subgraphFetcher(
  service: string,
  timeoutMs: number,
): (input: string, init?: SubgraphRequestInit) => Promise<SubgraphResponse> {
  return async (input, init = {}) => {
    let response: SubgraphResponse;
    try {
      response = await fetchWithin(service, input, init, {
        timeoutMs,
        idempotent: () => isQueryBody(init.body),
      });
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      console.warn(`${error.message} (${error.reason}${networkCode(error.cause)})`);
      return SubgraphResponse.json(input, { data: null, errors: [unavailableError(error)] });
    }
    const type = response.headers.get('content-type') ?? '';
    if (response.status < 400 || response.status > 499 || !/json/.test(type)) return response;
    const body = await response.text();
    const graphqlErrors = (() => {
      try {
        return Array.isArray((JSON.parse(body) as { errors?: unknown }).errors);
      } catch {
        return false;
      }
    })();
    return graphqlErrors ? response.withStatus(200) : response;
  };
}
