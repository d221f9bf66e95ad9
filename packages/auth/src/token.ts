import { SignJWT, jwtVerify, errors } from 'jose';

export type PrincipalKind = 'staff' | 'customer';

/** Who is calling, as proven by a verified token. Every statement is scoped to `storeId`. */
export interface Principal {
  kind: PrincipalKind;
  /** Staff user id, or the customer's profile id for a customer token. */
  userId: string;
  storeId: string;
  role?: string;
}

const ISSUER = 'customer-graph';
const AUDIENCE = 'customer-graph';
const DEVELOPMENT_SECRET = 'customer-graph-development-secret-do-not-use-in-production';

export class InvalidTokenError extends Error {}

function secretKey(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const secret = env.AUTH_SECRET;
  if (!secret) {
    if (env.NODE_ENV === 'production') throw new Error('AUTH_SECRET must be set in production');
    return new TextEncoder().encode(DEVELOPMENT_SECRET);
  }
  if (secret.length < 32) throw new Error('AUTH_SECRET must be at least 32 characters');
  return new TextEncoder().encode(secret);
}

export async function signToken(principal: Principal, options: { expiresIn?: string } = {}): Promise<string> {
  return new SignJWT({ kind: principal.kind, store: principal.storeId, ...(principal.role ? { role: principal.role } : {}) })
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
    const { payload } = await jwtVerify(token, secretKey(), { issuer: ISSUER, audience: AUDIENCE, algorithms: ['HS256'] });
    const { sub, kind, store, role } = payload as Record<string, unknown>;
    if (typeof sub !== 'string' || typeof store !== 'string' || (kind !== 'staff' && kind !== 'customer')) {
      throw new InvalidTokenError('Token is missing its subject, store or kind');
    }
    return { kind, userId: sub, storeId: store, ...(typeof role === 'string' ? { role } : {}) };
  } catch (error) {
    if (error instanceof InvalidTokenError) throw error;
    if (error instanceof errors.JWTExpired) throw new InvalidTokenError('Token has expired');
    throw new InvalidTokenError('Token is invalid');
  }
}

/** Reads `Authorization: Bearer <token>`; undefined when the header is absent or not a bearer token. */
export function bearerToken(header: string | undefined | null): string | undefined {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  return match?.[1];
}
