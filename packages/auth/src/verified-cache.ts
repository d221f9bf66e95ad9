/**
 * Tokens that verified, by their exact text, so that a token a client sends with every request
 * (and the access assertion the gateway forwards with each of a request's subgraph calls) costs one
 * HMAC or RSA check per process rather than one per request. A hit is the same string verified
 * under the same key, scope and options: its signature cannot differ. Entries end at the token's
 * own expiry (with the same tolerance the verification allowed) and after at most `MAX_AGE_MS`, so
 * that a key an identity provider withdraws stops counting soon; failures are never kept.
 */
const MAX_ENTRIES = 10_000;
const MAX_AGE_MS = 60_000;

interface Entry {
  payload: Record<string, unknown>;
  /** The key it verified under: a JWKS resolver by identity, a secret by its bytes. */
  key: unknown;
  validUntil: number;
}

const entries = new Map<string, Entry>();

function keyIdentity(key: Uint8Array | object): unknown {
  return key instanceof Uint8Array ? Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString('base64') : key;
}

export function cachedPayload(cacheKey: string, key: Uint8Array | object): Record<string, unknown> | undefined {
  const entry = entries.get(cacheKey);
  if (!entry) return undefined;
  if (Date.now() >= entry.validUntil || entry.key !== keyIdentity(key)) {
    entries.delete(cacheKey);
    return undefined;
  }
  // Least recently used first out: a hit moves to the end.
  entries.delete(cacheKey);
  entries.set(cacheKey, entry);
  return entry.payload;
}

export function rememberPayload(
  cacheKey: string,
  key: Uint8Array | object,
  payload: Record<string, unknown>,
  toleranceSeconds: number,
): void {
  const exp = payload.exp;
  if (typeof exp !== 'number') return;
  // jose accepts a token while the current second is before `exp + tolerance`.
  const validUntil = Math.min((exp + toleranceSeconds) * 1000, Date.now() + MAX_AGE_MS);
  if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
  entries.set(cacheKey, { payload: Object.freeze({ ...payload }), key: keyIdentity(key), validUntil });
}
