import { decodeJwt, errors } from 'jose';
import { LifetimeTooLongError, signJwt, verifyJwt } from './jwt.ts';
import { KeysUnavailableError, tokenKeys, tokenSecret } from './keys.ts';

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

/**
 * A shared-secret token (`AUTH_SECRET`), as `pnpm start` and the tests make them. `expiresIn` is
 * `30d`, `12h`, `5m`…; a lifetime over `AUTH_MAX_TOKEN_LIFETIME` is refused here already.
 */
export async function signToken(principal: Principal, options: { expiresIn?: string } = {}): Promise<string> {
  const platform = principal.kind === 'staff' && principal.platform === true;
  const { maxLifetimeSeconds } = tokenKeys();
  const token = await signJwt(
    { kind: principal.kind, store: principal.storeId, ...(platform ? { platform } : {}) },
    principal.userId,
    SCOPE,
    options.expiresIn ?? '12h',
    tokenSecret(),
  );
  const { iat, exp } = decodeJwt(token);
  if (exp! - iat! > maxLifetimeSeconds) {
    throw new Error(
      `A token lifetime of ${options.expiresIn} is over AUTH_MAX_TOKEN_LIFETIME (${maxLifetimeSeconds} s)`,
    );
  }
  return token;
}

/**
 * Whether this graph issues its own tokens (`AUTH_SECRET`), as sign-in needs; with an identity
 * provider (`AUTH_JWKS_URL`) it verifies the provider's tokens only, and one it signed would be refused.
 */
export function issuesTokens(env: NodeJS.ProcessEnv = process.env): boolean {
  return tokenKeys(env).mode === 'secret';
}

/**
 * The principal of a token: signed with `AUTH_SECRET` (HS256), or, when `AUTH_JWKS_URL` is set,
 * by the identity provider (its issuer, audience and an asymmetric algorithm), never longer-lived
 * than `AUTH_MAX_TOKEN_LIFETIME`. The provider's tokens carry the same claims: `sub`, `kind`,
 * `store` and, for platform staff, `platform`.
 */
export async function verifyToken(token: string): Promise<Principal> {
  const keys = tokenKeys();
  try {
    const { sub, kind, store, platform } =
      keys.mode === 'secret'
        ? await verifyJwt(token, keys.key, SCOPE, {
            algorithms: ['HS256'],
            maxLifetimeSeconds: keys.maxLifetimeSeconds,
          })
        : await verifyJwt(
            token,
            keys.keys,
            { issuer: keys.issuer, audience: keys.audience },
            // The provider's clock is not ours.
            { algorithms: keys.algorithms, maxLifetimeSeconds: keys.maxLifetimeSeconds, clockToleranceSeconds: 30 },
          );
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
    if (error instanceof InvalidTokenError || error instanceof KeysUnavailableError) throw error;
    if (error instanceof LifetimeTooLongError) throw new InvalidTokenError('Token lives longer than tokens may');
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
