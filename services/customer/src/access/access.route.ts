import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  GATEWAY_HEADER,
  STORE_HEADER,
  bearerToken,
  principalFrom,
  signAccess,
  verifyGatewayAssertion,
  InvalidTokenError,
  KeysUnavailableError,
} from '@cg/auth';
import type { Database } from '@cg/db';
import { ErrorCode, headerValue, sendJson } from '@cg/http';
import { zx } from '@cg/subgraph';
import type { tables } from '../db/schema/index.ts';
import { findAccess } from './access-lookup.service.ts';

function refuse(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code } }] });
}

/**
 * `GET /access`: a staff token (and optionally `x-store-id`, the store to work in; else the token's)
 * in, the user's access there out, with the signed assertion the subgraphs accept. Gateways keep
 * it until a change of roles or grants is notified (access-changed.notify.ts). Like
 * `/graphql`, it answers only the gateway (its assertion for this token).
 */
export function accessRoute(db: Database<typeof tables>) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    try {
      await verifyGatewayAssertion(headerValue(req, GATEWAY_HEADER), bearerToken(req.headers.authorization));
    } catch (error) {
      if (error instanceof InvalidTokenError) return refuse(res, 403, ErrorCode.FORBIDDEN, error.message);
      throw error;
    }
    let principal;
    try {
      principal = await principalFrom(req.headers.authorization);
    } catch (error) {
      if (error instanceof InvalidTokenError) return refuse(res, 401, ErrorCode.UNAUTHENTICATED, error.message);
      if (error instanceof KeysUnavailableError) return refuse(res, 503, ErrorCode.SERVICE_UNAVAILABLE, error.message);
      throw error;
    }
    if (principal.kind !== 'staff') return refuse(res, 403, ErrorCode.FORBIDDEN, 'Only staff tokens have store access');
    const storeId = headerValue(req, STORE_HEADER)?.trim() || principal.storeId;
    if (!zx.id.safeParse(storeId).success)
      return refuse(res, 400, ErrorCode.BAD_USER_INPUT, `${STORE_HEADER} must be a store id`);
    const found = (await findAccess(db.orm, principal, [storeId])).get(storeId);
    if (!found) return refuse(res, 403, ErrorCode.FORBIDDEN, `You have no access to store ${storeId}`);
    sendJson(res, 200, { ...found.access, role: found.role, assertion: await signAccess(found.access) });
  };
}
