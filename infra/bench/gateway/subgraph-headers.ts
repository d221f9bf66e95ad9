/**
 * What the peer gateways send each subgraph, made with our gateway's own functions so that only the
 * engine differs: the caller's token checked once per operation, the `x-gateway-assertion` signed
 * once per operation, and for staff the access assertion fetched once per operation from the
 * customer subgraph's `GET /access`.
 */
import type { IncomingMessage } from 'node:http';
import { ACCESS_HEADER, GATEWAY_HEADER, STORE_HEADER } from '@cg/auth';
import { DEFAULT_TIMEOUTS, type GatewayContext } from '@cg/gateway';
import { authenticate, fetchAssertion, gatewayAssertion } from '../../../gateway/src/auth.ts';
import { clientIp } from '../../../gateway/src/client-ip.ts';

/** The operation's context, as our gateway builds it for an HTTP request (no trusted proxies). */
export function operationContext(req: IncomingMessage): Promise<GatewayContext> {
  const store = req.headers[STORE_HEADER];
  return authenticate(req.headers.authorization, clientIp(req, 0), typeof store === 'string' ? store : undefined);
}

/** The headers of one subgraph request of the operation; the first call signs and looks up, the others reuse. */
export async function subgraphHeaders(context: GatewayContext, accessUrl: string): Promise<Record<string, string>> {
  const headers: Record<string, string> = {
    authorization: context.authorization,
    [GATEWAY_HEADER]: await gatewayAssertion(context),
  };
  if (context.principal.kind === 'staff') {
    context.assertion ??= fetchAssertion(accessUrl, context, DEFAULT_TIMEOUTS.accessMs);
    headers[ACCESS_HEADER] = await context.assertion;
  }
  return headers;
}

export const accessUrlOf = (customerUrl: string) => new URL('/access', customerUrl).toString();
