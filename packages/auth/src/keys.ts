import { createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';

/**
 * Where the keys come from. Nothing here has a default: a process that cannot verify tokens or
 * sign and check assertions would start, answer `/health` and then refuse every request, so it
 * refuses to start instead (`checkKeys`).
 *
 * - Tokens: `AUTH_SECRET` (HS256, shared with whoever signs tokens: `pnpm start`, the tests), or an
 *   external identity provider: `AUTH_JWKS_URL`, `AUTH_ISSUER`, `AUTH_AUDIENCE` (asymmetric
 *   algorithms only). With a JWKS, shared-secret tokens are refused.
 * - `AUTH_MAX_TOKEN_LIFETIME`: the longest `exp - iat` a token may have (default 30 days).
 * - `ASSERTION_SECRET`: the gateway's own key for what it asserts to the subgraphs (and for the
 *   access assertions of the customer subgraph); never the token secret.
 */
export type TokenKeys =
  | { mode: 'secret'; key: Uint8Array; maxLifetimeSeconds: number }
  | {
      mode: 'jwks';
      keys: JWTVerifyGetKey;
      issuer: string;
      audience: string;
      algorithms: string[];
      maxLifetimeSeconds: number;
    };

/** What the identity provider may sign with: asymmetric algorithms only (no shared secret). */
const ASYMMETRIC_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];

const MIN_SECRET_LENGTH = 32;
const DEFAULT_MAX_LIFETIME = '30d';

export class MissingKeysError extends Error {
  constructor(problems: string[]) {
    super(`Keys are missing or unusable:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'MissingKeysError';
  }
}

/**
 * The identity provider's key set could not be had (no answer in time, no connection, not a 200,
 * not a key set): the provider's fault, not the token's, so callers answer it as retriable.
 */
export class KeysUnavailableError extends Error {
  constructor(options?: { cause?: unknown }) {
    super('The identity provider’s keys could not be fetched', options);
    this.name = 'KeysUnavailableError';
  }
}

/**
 * jose's remote key set throws the same kinds for a token that names no key it has (the token's
 * fault) and for a fetch that failed; only the first stay as they are.
 */
function unavailableAsSuch(remote: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      const fetchFailed =
        error instanceof errors.JWKSTimeout ||
        error instanceof errors.JWKSInvalid ||
        !(error instanceof errors.JOSEError) ||
        error.code === errors.JOSEError.code;
      throw fetchFailed ? new KeysUnavailableError({ cause: error }) : error;
    }
  };
}

const encoder = new TextEncoder();
const jwksByUrl = new Map<string, JWTVerifyGetKey>();

/** Seconds in `30d`, `12h`, `5m`, `90s` or a bare number of seconds; NaN for anything else. */
export function lifetimeSeconds(span: string): number {
  const match = /^\s*(\d+)\s*([smhd]?)\s*$/.exec(span);
  if (!match) return NaN;
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 }[match[2] as '' | 's' | 'm' | 'h' | 'd'];
  return Number(match[1]) * unit;
}

function secretProblem(name: string, value: string | undefined): string | undefined {
  if (!value) return `${name} is not set`;
  if (value.length < MIN_SECRET_LENGTH) return `${name} must be at least ${MIN_SECRET_LENGTH} characters`;
  return undefined;
}

function tokenKeysOrProblems(env: NodeJS.ProcessEnv): TokenKeys | string[] {
  const maxLifetime = env.AUTH_MAX_TOKEN_LIFETIME?.trim() || DEFAULT_MAX_LIFETIME;
  const maxLifetimeSeconds = lifetimeSeconds(maxLifetime);
  const problems: string[] = [];
  if (!(maxLifetimeSeconds > 0)) {
    problems.push(`AUTH_MAX_TOKEN_LIFETIME must be like 30d, 12h, 15m or a number of seconds, got "${maxLifetime}"`);
  }
  const jwksUrl = env.AUTH_JWKS_URL?.trim();
  if (jwksUrl) {
    const issuer = env.AUTH_ISSUER?.trim();
    const audience = env.AUTH_AUDIENCE?.trim();
    if (!issuer) problems.push('AUTH_ISSUER must be set with AUTH_JWKS_URL (the identity provider’s issuer)');
    if (!audience) problems.push('AUTH_AUDIENCE must be set with AUTH_JWKS_URL (the audience its tokens name)');
    let url: URL | undefined;
    try {
      url = new URL(jwksUrl);
    } catch {
      problems.push(`AUTH_JWKS_URL is not a URL: "${jwksUrl}"`);
    }
    if (problems.length || !url) return problems;
    let keys = jwksByUrl.get(url.href);
    if (!keys) jwksByUrl.set(url.href, (keys = unavailableAsSuch(createRemoteJWKSet(url))));
    return {
      mode: 'jwks',
      keys,
      issuer: issuer!,
      audience: audience!,
      algorithms: ASYMMETRIC_ALGORITHMS,
      maxLifetimeSeconds,
    };
  }
  const problem = secretProblem('AUTH_SECRET', env.AUTH_SECRET);
  if (problem) {
    problems.push(`${problem}: set AUTH_SECRET (shared-secret tokens) or AUTH_JWKS_URL (an identity provider)`);
  }
  if (problems.length) return problems;
  return { mode: 'secret', key: encoder.encode(env.AUTH_SECRET), maxLifetimeSeconds };
}

function assertionKeyOrProblems(env: NodeJS.ProcessEnv): Uint8Array | string[] {
  const problem = secretProblem('ASSERTION_SECRET', env.ASSERTION_SECRET);
  if (problem) return [problem];
  if (env.ASSERTION_SECRET === env.AUTH_SECRET) return ['ASSERTION_SECRET must differ from AUTH_SECRET'];
  return encoder.encode(env.ASSERTION_SECRET);
}

/** How tokens are verified; throws MissingKeysError when the environment does not say. */
export function tokenKeys(env: NodeJS.ProcessEnv = process.env): TokenKeys {
  const keys = tokenKeysOrProblems(env);
  if (Array.isArray(keys)) throw new MissingKeysError(keys);
  return keys;
}

/** The shared secret that signs tokens (`pnpm start`, tests); throws without AUTH_SECRET. */
export function tokenSecret(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const problem = secretProblem('AUTH_SECRET', env.AUTH_SECRET);
  if (problem) throw new MissingKeysError([problem]);
  return encoder.encode(env.AUTH_SECRET);
}

/** The key of the gateway's and the customer subgraph's assertions (`ASSERTION_SECRET`). */
export function assertionKey(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const key = assertionKeyOrProblems(env);
  if (Array.isArray(key)) throw new MissingKeysError(key);
  return key;
}

/**
 * Every process (the gateway, each subgraph) calls this before it starts: it throws a
 * MissingKeysError naming every missing or unusable variable.
 */
export function checkKeys(env: NodeJS.ProcessEnv = process.env): void {
  const problems = [tokenKeysOrProblems(env), assertionKeyOrProblems(env)].flatMap((found) =>
    Array.isArray(found) ? found : [],
  );
  if (problems.length) throw new MissingKeysError(problems);
}
