import { SignJWT, jwtVerify } from 'jose';
import { isStaffAction, type StaffAction } from './actions.ts';
import { InvalidTokenError, secretKey } from './token.ts';

/**
 * A staff user's access in one store, as the customer subgraph (which keeps roles and grants) found
 * it for this request. The gateway fetches it once per request and forwards it; every subgraph
 * verifies its signature, so a changed role or a revoked grant counts from the next request on.
 */
export interface StoreAccess {
  userId: string;
  storeId: string;
  actions: StaffAction[];
  /** Platform staff act in every store with every action. */
  platform: boolean;
}

const ISSUER = 'customer-graph/customer';
const AUDIENCE = 'customer-graph/access';
/** Long enough for one request, short enough that a leaked assertion is soon useless. */
const LIFETIME = '2m';

export async function signAccess(access: StoreAccess): Promise<string> {
  return new SignJWT({ store: access.storeId, actions: access.actions, platform: access.platform })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(access.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(LIFETIME)
    .sign(secretKey());
}

export async function verifyAccess(assertion: string): Promise<StoreAccess> {
  try {
    const { payload } = await jwtVerify(assertion, secretKey(), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const { sub, store, actions, platform } = payload as Record<string, unknown>;
    if (typeof sub !== 'string' || typeof store !== 'string' || !Array.isArray(actions)) {
      throw new InvalidTokenError('Access assertion is incomplete');
    }
    return {
      userId: sub,
      storeId: store,
      actions: actions.filter((a): a is StaffAction => typeof a === 'string' && isStaffAction(a)),
      platform: platform === true,
    };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    throw new InvalidTokenError('Access assertion is invalid or expired');
  }
}

/** Header names between the gateway and the subgraphs. */
export const ACCESS_HEADER = 'x-access-assertion';
/** A staff user working in another store than their token's (shared access, platform staff). */
export const STORE_HEADER = 'x-store-id';
