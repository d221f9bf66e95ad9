import type { IncomingMessage } from 'node:http';
import { GraphQLError } from 'graphql';
import { ACCESS_HEADER, GATEWAY_HEADER } from '@cg/auth';
import { ErrorCode, headerValue } from '@cg/http';

/** The customer subgraph's internal route that answers for one customer of the caller's store. */
export const DIRECTORY_PATH = '/directory';

/** What the customer subgraph says of a customer of the caller's store, now. */
export interface DirectoryAnswer {
  storeId: string;
  customerId: string;
  /** `customer_status`, or `deleted` while the profile is soft-deleted (C5). */
  status: string;
  currency: string;
  /** C19: when the profile was erased, or null. */
  erasedAt: string | null;
}

/** Asks the customer subgraph about `customerId`; null when the caller's store has no such customer. */
export type CustomerLookup = (customerId: string) => Promise<DirectoryAnswer | null>;

/** How long a write waits for the customer subgraph's answer before it gives up, retriable. */
const LOOKUP_TIMEOUT_MS = Number(process.env.DIRECTORY_LOOKUP_TIMEOUT_MS ?? 3000);

/**
 * The headers that prove who the caller is, and that the gateway vouches for it (the assertion is
 * bound to this caller's token). The lookup goes out with the caller's own credentials,
 * so the customer subgraph verifies them as it verifies any request and answers only what this
 * caller may know: a customer of the store they work in (a signed-in customer: only themselves).
 */
const CREDENTIAL_HEADERS = ['authorization', ACCESS_HEADER, GATEWAY_HEADER];

/** A lookup bound to one request's credentials, against the customer subgraph at `customerUrl`. */
export function customerLookup(customerUrl: string, req: IncomingMessage): CustomerLookup {
  const headers: Record<string, string> = {};
  for (const name of CREDENTIAL_HEADERS) {
    const value = headerValue(req, name);
    if (value) headers[name] = value;
  }
  const endpoint = new URL(DIRECTORY_PATH, customerUrl);
  return async (customerId) => {
    const url = new URL(endpoint);
    url.searchParams.set('customerId', customerId);
    let response: Response;
    try {
      response = await fetch(url, { headers, signal: AbortSignal.timeout(LOOKUP_TIMEOUT_MS) });
    } catch {
      throw directoryUnavailable();
    }
    if (response.status === 404) return null;
    if (!response.ok) throw directoryUnavailable();
    return (await response.json()) as DirectoryAnswer;
  };
}

/** The customer subgraph did not answer: the same write may succeed later. */
export function directoryUnavailable(): GraphQLError {
  return new GraphQLError('The customer directory is unavailable; retry the request', {
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retriable: true },
  });
}
