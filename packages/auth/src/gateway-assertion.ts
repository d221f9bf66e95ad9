import { createHash } from 'node:crypto';
import { signJwt, verifyJwt } from './jwt.ts';
import { assertionKey } from './keys.ts';
import { InvalidTokenError } from './token.ts';

/**
 * What the gateway vouches for on every request it sends a subgraph: that the request came through
 * it (so through its limits), for which token, and from which client address. Subgraphs refuse a
 * request without one, so nothing reaches them but the gateway, and the address a consent or an
 * audit entry records is the one the gateway saw, never a header a caller chose.
 */
export interface GatewayAssertion {
  /** The client's address as the gateway found it (socket, or trusted proxies' `X-Forwarded-For`). */
  ip?: string;
}

export const GATEWAY_HEADER = 'x-gateway-assertion';

const SCOPE = { issuer: 'customer-graph/gateway', audience: 'customer-graph/subgraphs' };
/** One request, including a slow subgraph answer; a copied assertion is soon useless. */
const LIFETIME = '1m';
const VERIFY = { algorithms: ['HS256'], maxLifetimeSeconds: 60 };

/** Binds an assertion to one bearer token: it cannot be replayed with another caller's token. */
function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Signs, with the gateway's own key (`ASSERTION_SECRET`), that `token`'s request comes from `ip`. */
export function signGatewayAssertion(token: string, assertion: GatewayAssertion): Promise<string> {
  return signJwt(
    { ath: tokenHash(token), ...(assertion.ip ? { ip: assertion.ip } : {}) },
    'gateway',
    SCOPE,
    LIFETIME,
    assertionKey(),
  );
}

/** Checks a gateway assertion and that it was made for `token`; throws InvalidTokenError otherwise. */
export async function verifyGatewayAssertion(
  assertion: string | undefined,
  token: string | undefined,
): Promise<GatewayAssertion> {
  if (!assertion) throw new InvalidTokenError(`Subgraphs answer only the gateway (no ${GATEWAY_HEADER})`);
  let claims: Record<string, unknown>;
  try {
    claims = await verifyJwt(assertion, assertionKey(), SCOPE, VERIFY);
  } catch {
    throw new InvalidTokenError('The gateway assertion is invalid or expired');
  }
  if (!token || claims.ath !== tokenHash(token)) {
    throw new InvalidTokenError('The gateway assertion is for another token');
  }
  return typeof claims.ip === 'string' ? { ip: claims.ip } : {};
}
