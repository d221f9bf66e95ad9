import { SignJWT, jwtVerify, type JWTPayload } from 'jose';

const DEVELOPMENT_SECRET = 'customer-graph-development-secret-do-not-use-in-production';

export function secretKey(env: NodeJS.ProcessEnv = process.env): Uint8Array {
  const secret = env.AUTH_SECRET;
  if (!secret) {
    if (env.NODE_ENV === 'production') throw new Error('AUTH_SECRET must be set in production');
    return new TextEncoder().encode(DEVELOPMENT_SECRET);
  }
  if (secret.length < 32) throw new Error('AUTH_SECRET must be at least 32 characters');
  return new TextEncoder().encode(secret);
}

/** Who issues one kind of token and who it is for: a token of one kind is refused as the other. */
interface TokenScope {
  issuer: string;
  audience: string;
}

/** Signs `claims` for `subject` with the shared secret (HS256), valid for `lifetime` (e.g. `'2m'`). */
export function signJwt(claims: JWTPayload, subject: string, scope: TokenScope, lifetime: string): Promise<string> {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer(scope.issuer)
    .setAudience(scope.audience)
    .setIssuedAt()
    .setExpirationTime(lifetime)
    .sign(secretKey());
}

/** The claims of a token of this scope; throws jose's errors for a bad, foreign or expired one. */
export async function verifyJwt(jwt: string, scope: TokenScope): Promise<Record<string, unknown>> {
  const { payload } = await jwtVerify(jwt, secretKey(), {
    issuer: scope.issuer,
    audience: scope.audience,
    algorithms: ['HS256'],
  });
  return payload as Record<string, unknown>;
}
