import { webcrypto } from 'node:crypto';
import { SignJWT, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { lifetimeSeconds } from './keys.ts';
import { cachedPayload, rememberPayload } from './verified-cache.ts';

/**
 * Imported HMAC keys by secret: jose imports a raw secret anew for every signature it makes or
 * checks. A process has one or two secrets (AUTH_SECRET, ASSERTION_SECRET); tests may set others.
 */
const hmacKeys = new Map<string, Promise<webcrypto.CryptoKey>>();

function hmacKey(secret: Uint8Array): Promise<webcrypto.CryptoKey> {
  const id = Buffer.from(secret.buffer, secret.byteOffset, secret.byteLength).toString('base64');
  let key = hmacKeys.get(id);
  if (!key) {
    if (hmacKeys.size >= 16) hmacKeys.clear();
    key = webcrypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
    hmacKeys.set(id, key);
  }
  return key;
}

/** Who issues one kind of token and who it is for: a token of one kind is refused as the other. */
export interface TokenScope {
  issuer: string;
  audience: string;
}

/** Signs `claims` for `subject` with a shared secret (HS256), valid for `lifetime` (e.g. `'2m'`). */
export async function signJwt(
  claims: JWTPayload,
  subject: string,
  scope: TokenScope,
  lifetime: string,
  key: Uint8Array,
): Promise<string> {
  // One reading of the clock for both: jose reads it again for a relative expiry, and a second
  // that ticks between the two makes the token a second longer than its kind may live.
  const negative = lifetime.trim().startsWith('-');
  const seconds = lifetimeSeconds(negative ? lifetime.trim().slice(1) : lifetime);
  if (Number.isNaN(seconds)) throw new Error(`Not a lifetime: "${lifetime}" (30d, 12h, 5m, 90s)`);
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer(scope.issuer)
    .setAudience(scope.audience)
    .setIssuedAt(now)
    .setExpirationTime(now + (negative ? -seconds : seconds))
    .sign(await hmacKey(key));
}

/** A token that lives longer than its kind may: refused whatever its signature. */
export class LifetimeTooLongError extends Error {}

/**
 * The claims of a token of this scope; throws jose's errors for a bad, foreign or expired one, and
 * LifetimeTooLongError when it has no `iat`/`exp` or they lie further apart than `maxLifetimeSeconds`.
 */
export async function verifyJwt(
  jwt: string,
  key: Uint8Array | JWTVerifyGetKey,
  scope: TokenScope,
  options: { algorithms: string[]; maxLifetimeSeconds: number; clockToleranceSeconds?: number },
): Promise<Record<string, unknown>> {
  const verifyOptions = {
    issuer: scope.issuer,
    audience: scope.audience,
    algorithms: options.algorithms,
    requiredClaims: ['iat', 'exp'],
    // With maxTokenAge jose also refuses an `iat` in the future, which would stretch the window.
    maxTokenAge: options.maxLifetimeSeconds,
    clockTolerance: options.clockToleranceSeconds ?? 0,
  };
  const cacheKey = `${scope.issuer}\n${scope.audience}\n${options.algorithms.join(',')}\n${options.maxLifetimeSeconds}\n${verifyOptions.clockTolerance}\n${jwt}`;
  const cached = cachedPayload(cacheKey, key);
  if (cached) return cached;
  const { payload } =
    key instanceof Uint8Array
      ? await jwtVerify(jwt, await hmacKey(key), verifyOptions)
      : await jwtVerify(jwt, key, verifyOptions);
  if (payload.exp! - payload.iat! > options.maxLifetimeSeconds) throw new LifetimeTooLongError();
  rememberPayload(cacheKey, key, payload as Record<string, unknown>, verifyOptions.clockTolerance);
  return payload as Record<string, unknown>;
}
