import { SignJWT, jwtVerify, errors } from 'jose';

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

const ISSUER = 'customer-graph';
const AUDIENCE = 'customer-graph';
const DEVELOPMENT_SECRET = 'customer-graph-development-secret-do-not-use-in-production';

export class InvalidTokenError extends Error {}

export function secretKey(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const secret = env.AUTH_SECRET;
  if (!secret) {
    if (env.NODE_ENV === 'production') throw new Error('AUTH_SECRET must be set in production');
    return new TextEncoder().encode(DEVELOPMENT_SECRET);
  }
  if (secret.length < 32) throw new Error('AUTH_SECRET must be at least 32 characters');
  return new TextEncoder().encode(secret);
}

export async function signToken(principal: Principal, options: { expiresIn?: string } = {}): Promise<string> {
  const platform = principal.kind === 'staff' && principal.platform === true;
  return new SignJWT({ kind: principal.kind, store: principal.storeId, ...(platform ? { platform } : {}) })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(principal.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.expiresIn ?? '12h')
    .sign(secretKey());
}

export async function verifyToken(token: string): Promise<Principal> {
  try {
    const { payload } = await jwtVerify(token, secretKey(), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: ['HS256'],
    });
    const { sub, kind, store, platform } = payload as Record<string, unknown>;
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
