import { getOperationAST, parse } from 'graphql';
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

/**
 * A keep-alive socket the other side closed while it sat idle in the pool: the request never reached
 * the server. Right after a stalled process resumes, its keep-alive timers fire together and close
 * every idle socket the gateway still holds, so the next request on each fails this way.
 */
function isClosedSocket(error: unknown): boolean {
  const cause = (error as { cause?: { code?: string; message?: string } } | null)?.cause;
  if (!cause) return false;
  return (
    cause.code === 'ECONNRESET' ||
    cause.code === 'EPIPE' ||
    cause.code === 'UND_ERR_SOCKET' ||
    /other side closed/i.test(cause.message ?? '')
  );
}

/**
 * `fetch` with a deadline over the whole answer (the body is read within it) and, for an idempotent
 * request, one immediate retry on a fresh socket when a pooled one turns out closed. Anything else
 * (a refused connection, the deadline, a second closed socket) is a ServiceUnavailableError.
 */
export async function fetchWithin(
  service: string,
  input: string | URL,
  init: RequestInit,
  options: { timeoutMs: number; idempotent: () => boolean },
): Promise<Response> {
  const deadline = AbortSignal.timeout(options.timeoutMs);
  const signal = init.signal ? AbortSignal.any([init.signal, deadline]) : deadline;
  for (let attempt = 1; ; attempt++) {
    try {
      const response = await fetch(input, { ...init, signal });
      const body = await response.arrayBuffer();
      return new Response(body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
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
  const code = (error as { cause?: { code?: unknown } } | undefined)?.cause?.code;
  return typeof code === 'string' ? `, ${code}` : '';
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
export function subgraphFetcher(service: string, timeoutMs: number): typeof fetch {
  return async (input, init = {}) => {
    let response: Response;
    try {
      response = await fetchWithin(service, input as string | URL, init, {
        timeoutMs,
        idempotent: () => isQueryBody(init.body),
      });
    } catch (error) {
      if (!(error instanceof ServiceUnavailableError)) throw error;
      console.warn(`${error.message} (${error.reason}${networkCode(error.cause)})`);
      return Response.json({ data: null, errors: [unavailableError(error)] });
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
    return new Response(body, { status: graphqlErrors ? 200 : response.status, headers: response.headers });
  };
}
