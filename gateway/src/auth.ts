import type { IncomingMessage } from 'node:http';
import {
  GATEWAY_HEADER,
  STORE_HEADER,
  bearerToken,
  principalFrom,
  signGatewayAssertion,
  InvalidTokenError,
  KeysUnavailableError,
  type Principal,
} from '@cg/auth';
import { ErrorCode, headerValue, identityProviderUnavailable, unauthenticated } from '@cg/http';
import { GraphQLError } from 'graphql';
import { clientIp } from './client-ip.ts';
import {
  fetchWithin,
  networkCode,
  ServiceUnavailableError,
  type SubgraphResponse,
  type UnavailableReason,
} from './subgraph-fetcher.ts';

// The subscription server refuses a bad connection token with the same error.

export interface GatewayContext {
  principal: Principal;
  /** Forwarded unchanged: every subgraph verifies it again. */
  authorization: string;
  clientIp?: string;
  /**
   * The store this operation works in: for staff the `x-store-id` header (shared access, platform
   * staff) or else their token's store; for customers and guests always their token's.
   */
  storeId: string;
  /** The staff caller's access assertion, fetched from the customer subgraph on first use. */
  assertion?: Promise<string>;
  /** What the gateway asserts to every subgraph it asks for this operation, signed on first use. */
  gatewayAssertion?: Promise<string>;
}

/** The context of an HTTP request, its client address found through `trustedHops` proxies. */
export function gatewayContext(trustedHops: number) {
  return (req: IncomingMessage): Promise<GatewayContext> =>
    authenticate(req.headers.authorization, clientIp(req, trustedHops), headerValue(req, STORE_HEADER));
}

/** Signed gateway assertions by token and client address; each lives a minute, and is reused for 20 s. */
const signedAssertions = new Map<string, { assertion: Promise<string>; reuseUntil: number }>();
const ASSERTION_REUSE_MS = 20_000;
const MAX_SIGNED_ASSERTIONS = 10_000;

/**
 * The `x-gateway-assertion` of this operation: one signature, however many subgraph fetches, and
 * the same one for a caller's operations from one address within 20 s. It says only which token
 * came from where, which does not change in that time; it is signed for a minute, so an operation
 * started near the end of its reuse still has more than a subgraph deadline left.
 */
export function gatewayAssertion(context: GatewayContext): Promise<string> {
  if (context.gatewayAssertion) return context.gatewayAssertion;
  const token = bearerToken(context.authorization)!;
  const key = `${context.clientIp ?? ''} ${token}`;
  const now = Date.now();
  const signed = signedAssertions.get(key);
  if (signed && signed.reuseUntil > now) return (context.gatewayAssertion = signed.assertion);
  const assertion = signGatewayAssertion(token, context.clientIp ? { ip: context.clientIp } : {});
  signedAssertions.delete(key);
  // Oldest first in the map's order: past the bound, the first ones go.
  if (signedAssertions.size >= MAX_SIGNED_ASSERTIONS) signedAssertions.delete(signedAssertions.keys().next().value!);
  signedAssertions.set(key, { assertion, reuseUntil: now + ASSERTION_REUSE_MS });
  assertion.catch(() => signedAssertions.delete(key));
  return (context.gatewayAssertion = assertion);
}

/**
 * Verifies an `Authorization` value (`Bearer <token>`): the HTTP header, or the `Authorization`
 * connection parameter of a graphql-ws connection. Throws UNAUTHENTICATED for a missing or bad token.
 */
export async function authenticate(
  authorization: string | undefined,
  clientIp?: string,
  storeId?: string,
): Promise<GatewayContext> {
  try {
    const principal = await principalFrom(authorization);
    return {
      principal,
      authorization: `Bearer ${bearerToken(authorization)}`,
      storeId: (principal.kind === 'staff' && storeId?.trim()) || principal.storeId,
      ...(clientIp ? { clientIp } : {}),
    };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthenticated(error.message);
    if (error instanceof KeysUnavailableError) {
      console.warn(`Token check: ${error.message} (${String((error.cause as Error | undefined)?.message ?? '')})`);
      throw identityProviderUnavailable();
    }
    throw error;
  }
}

/**
 * Asks the customer subgraph, which keeps roles and grants, what a staff caller may do in the
 * store of the operation. At most once per operation; across operations only through the
 * AccessCache, which drops what a change of roles or grants makes stale. Refusals keep their code
 * (FORBIDDEN, ...).
 *
 * When the lookup cannot be made (no answer within `timeoutMs`, no connection, a 5xx), no staff
 * permission can be known, so the operation is refused: SERVICE_UNAVAILABLE with HTTP 503, which a
 * client may retry. Never allowed by default. The GET is retried once on a closed keep-alive socket.
 */
export async function fetchAssertion(accessUrl: string, context: GatewayContext, timeoutMs: number): Promise<string> {
  let response: SubgraphResponse;
  try {
    response = await fetchWithin(
      'customer',
      accessUrl,
      {
        headers: {
          authorization: context.authorization,
          [STORE_HEADER]: context.storeId,
          [GATEWAY_HEADER]: await gatewayAssertion(context),
        },
      },
      { timeoutMs, idempotent: () => true },
    );
  } catch (error) {
    if (!(error instanceof ServiceUnavailableError)) throw error;
    console.warn(`Store access lookup: ${error.message} (${error.reason}${networkCode(error.cause)})`);
    throw accessUnavailable(error.reason);
  }
  if (response.status >= 500) throw accessUnavailable('UNREACHABLE');
  const body = (await response.json().catch(() => ({}))) as {
    assertion?: string;
    errors?: { message: string; extensions?: { code?: string } }[];
  };
  if (response.ok && body.assertion) return body.assertion;
  const error = body.errors?.[0];
  throw new GraphQLError(error?.message ?? 'Store access could not be checked', {
    extensions: { code: error?.extensions?.code ?? ErrorCode.INTERNAL_SERVER_ERROR },
  });
}

function accessUnavailable(reason: UnavailableReason): GraphQLError {
  return new GraphQLError('Store access could not be checked: the customer service is unavailable', {
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, service: 'customer', reason, http: { status: 503 } },
  });
}
