import type { IncomingMessage } from 'node:http';
import { bearerToken, verifyToken, InvalidTokenError, type Principal } from '@cg/auth';
import { GraphQLError } from 'graphql';

export interface GatewayContext {
  principal: Principal;
  /** Forwarded unchanged: every subgraph verifies it again. */
  authorization: string;
  clientIp?: string;
}

export async function gatewayContext(req: IncomingMessage): Promise<GatewayContext> {
  const token = bearerToken(req.headers.authorization);
  if (!token) throw unauthenticated('A valid access token is required');
  try {
    const principal = await verifyToken(token);
    return { principal, authorization: `Bearer ${token}`, clientIp: req.socket.remoteAddress ?? undefined };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthenticated(error.message);
    throw error;
  }
}

function unauthenticated(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });
}
