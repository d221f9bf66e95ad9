import type { IncomingMessage } from 'node:http';
import { bearerToken, verifyToken, InvalidTokenError, type Principal } from '@cg/auth';
import { GraphQLError } from 'graphql';

export interface GatewayContext {
  principal: Principal;
  /** Forwarded unchanged: every subgraph verifies it again. */
  authorization: string;
  clientIp?: string;
}

export function gatewayContext(req: IncomingMessage): Promise<GatewayContext> {
  return authenticate(req.headers.authorization, req.socket.remoteAddress ?? undefined);
}

/**
 * Verifies an `Authorization` value (`Bearer <token>`): the HTTP header, or the `Authorization`
 * connection parameter of a graphql-ws connection. Throws UNAUTHENTICATED for a missing or bad token.
 */
export async function authenticate(authorization: string | undefined, clientIp?: string): Promise<GatewayContext> {
  const token = bearerToken(authorization);
  if (!token) throw unauthenticated('A valid access token is required');
  try {
    const principal = await verifyToken(token);
    return { principal, authorization: `Bearer ${token}`, ...(clientIp ? { clientIp } : {}) };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthenticated(error.message);
    throw error;
  }
}

export function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}
