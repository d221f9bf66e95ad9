import { errors } from 'jose';
import { signJwt, verifyJwt } from './jwt.ts';

/**
 * `staff`: a back-office user; `customer`: a signed-in customer of the store; `guest`: a storefront
 * without a signed-in customer, which may only look orders up by number (O10).
 */
export type PrincipalKind = 'staff' | 'customer' | 'guest';
const KINDS: readonly string[] = ['staff', 'customer', 'guest'];

/** Who is calling, as proven by a verified token. */
export interface Principal {
  kind: PrincipalKind;
  /** Staff user id, the customer's profile id for a customer token, a session id for a guest. */
  userId: string;
  /** The store the token was issued for: a customer's or guest's only store, a staff user's default. */
  storeId: string;
  /** Platform staff (T6) see every store. Only staff tokens carry it. */
  platform?: boolean;
}

const SCOPE = { issuer: 'customer-graph', audience: 'customer-graph' };

export class InvalidTokenError extends Error {}

export async function signToken(principal: Principal, options: { expiresIn?: string } = {}): Promise<string> {
  const platform = principal.kind === 'staff' && principal.platform === true;
  return signJwt(
    { kind: principal.kind, store: principal.storeId, ...(platform ? { platform } : {}) },
    principal.userId,
    SCOPE,
    options.expiresIn ?? '12h',
  );
}

export async function verifyToken(token: string): Promise<Principal> {
  try {
    const { sub, kind, store, platform } = await verifyJwt(token, SCOPE);
    if (typeof sub !== 'string' || typeof store !== 'string' || typeof kind !== 'string' || !KINDS.includes(kind)) {
      throw new InvalidTokenError('Token is missing its subject, store or kind');
    }
    return {
      kind: kind as PrincipalKind,
      userId: sub,
      storeId: store,
      ...(kind === 'staff' && platform === true ? { platform: true } : {}),
    };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new InvalidTokenError('Token has expired');
    throw new InvalidTokenError('Token is invalid');
  }
}

/**
 * The principal of an `Authorization: Bearer <token>` value (HTTP header or graphql-ws connection
 * parameter). Throws InvalidTokenError, with a message for the caller, when it is missing or bad.
 */
export async function principalFrom(authorization: string | undefined | null): Promise<Principal> {
  const token = bearerToken(authorization);
  if (!token) throw new InvalidTokenError('A valid access token is required');
  return verifyToken(token);
}

/** Reads `Authorization: Bearer <token>`; undefined when the header is absent or not a bearer token. */
export function bearerToken(header: string | undefined | null): string | undefined {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  return match?.[1];
}
