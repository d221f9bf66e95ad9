import { isStaffAction, type StaffAction } from './actions.ts';
import { signJwt, verifyJwt } from './jwt.ts';
import { assertionKey } from './keys.ts';
import { InvalidTokenError } from './token.ts';

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

const SCOPE = { issuer: 'customer-graph/customer', audience: 'customer-graph/access' };
/** Long enough for one request, short enough that a leaked assertion is soon useless. */
const LIFETIME = '2m';
const VERIFY = { algorithms: ['HS256'], maxLifetimeSeconds: 120 };

export async function signAccess(access: StoreAccess): Promise<string> {
  return signJwt(
    { store: access.storeId, actions: access.actions, platform: access.platform },
    access.userId,
    SCOPE,
    LIFETIME,
    assertionKey(),
  );
}

export async function verifyAccess(assertion: string): Promise<StoreAccess> {
  try {
    const { sub, store, actions, platform } = await verifyJwt(assertion, assertionKey(), SCOPE, VERIFY);
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
