import { SignJWT, decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signAccess } from './access.ts';
import { InvalidTokenError, bearerToken, principalFrom, signToken, verifyToken, type Principal } from './token.ts';
import { tokenSecret } from './keys.ts';

const STORE = '7d2f7c1e-2b7a-4f3e-9a51-0c6d5b1f2e3a';

/** A token signed with the right key but with claims of our choosing. */
function forged(claims: Record<string, unknown>, subject?: string, lifetime = '1h'): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('customer-graph')
    .setAudience('customer-graph')
    .setIssuedAt()
    .setExpirationTime(lifetime);
  return (subject ? jwt.setSubject(subject) : jwt).sign(tokenSecret());
}

async function refusal(token: Promise<unknown>): Promise<string> {
  const error = await token.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as Error).message;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('signToken and verifyToken', () => {
  it('round-trip every kind of principal', async () => {
    const principals: Principal[] = [
      { kind: 'staff', userId: 'staff-1', storeId: STORE },
      { kind: 'staff', userId: 'platform-1', storeId: STORE, platform: true },
      { kind: 'customer', userId: 'customer-1', storeId: STORE },
      { kind: 'guest', userId: 'session-1', storeId: STORE },
    ];
    for (const principal of principals) expect(await verifyToken(await signToken(principal))).toEqual(principal);
  });

  it('carry `platform` for staff only', async () => {
    const token = await signToken({ kind: 'customer', userId: 'c', storeId: STORE, platform: true });
    expect(decodeJwt(token)).not.toHaveProperty('platform');
    expect(await verifyToken(token)).toEqual({ kind: 'customer', userId: 'c', storeId: STORE });
    const forgedPlatform = await forged({ kind: 'customer', store: STORE, platform: true }, 'c');
    expect(await verifyToken(forgedPlatform)).not.toHaveProperty('platform');
  });

  it('expire after 12 hours unless told otherwise', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T08:00:00Z'), toFake: ['Date'] });
    const principal: Principal = { kind: 'staff', userId: 'staff-1', storeId: STORE };
    const token = await signToken(principal);
    const short = await signToken(principal, { expiresIn: '5m' });
    expect(decodeJwt(token).exp! - decodeJwt(token).iat!).toBe(12 * 3600);
    vi.setSystemTime(new Date('2026-05-01T08:10:00Z'));
    expect(await verifyToken(token)).toEqual(principal);
    expect(await refusal(verifyToken(short))).toBe('Token has expired');
    vi.setSystemTime(new Date('2026-05-01T20:00:01Z'));
    expect(await refusal(verifyToken(token))).toBe('Token has expired');
  });

  it('live exactly their lifetime when a second ticks while they are signed', async () => {
    // Each reading of the clock is 0.4 s after the last, the first 0.1 s before a second ends.
    const RealDate = Date;
    let now = RealDate.UTC(2026, 11, 1, 12, 0, 0, 500);
    class TickingDate extends RealDate {
      constructor(...args: ConstructorParameters<typeof Date> | []) {
        if (args.length) super(...(args as ConstructorParameters<typeof Date>));
        else super((now += 400));
      }
      static override now() {
        return (now += 400);
      }
    }
    const principal: Principal = { kind: 'staff', userId: 'staff-1', storeId: STORE };
    vi.stubGlobal('Date', TickingDate);
    try {
      const { iat, exp } = decodeJwt(await signToken(principal, { expiresIn: '30d' }));
      expect(exp! - iat!).toBe(30 * 86_400);
    } finally {
      vi.unstubAllGlobals();
    }
  });

  it('refuse tokens that were tampered with, signed with another key, or not tokens', async () => {
    const token = await signToken({ kind: 'customer', userId: 'c', storeId: STORE });
    const [header, , signature] = token.split('.');
    const payload = Buffer.from(JSON.stringify({ ...decodeJwt(token), kind: 'staff' })).toString('base64url');
    expect(await refusal(verifyToken(`${header}.${payload}.${signature}`))).toBe('Token is invalid');
    const otherKey = await new SignJWT({ kind: 'staff', store: STORE })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('x')
      .setIssuer('customer-graph')
      .setAudience('customer-graph')
      .sign(new TextEncoder().encode('another-secret-that-is-long-enough-to-use'));
    expect(await refusal(verifyToken(otherKey))).toBe('Token is invalid');
    expect(await refusal(verifyToken('not.a.token'))).toBe('Token is invalid');
  });

  it('refuse an access assertion as a token', async () => {
    const assertion = await signAccess({ userId: 'staff-1', storeId: STORE, actions: [], platform: false });
    expect(await refusal(verifyToken(assertion))).toBe('Token is invalid');
  });

  it('refuse tokens without a subject, a store or a known kind', async () => {
    const missing = 'Token is missing its subject, store or kind';
    expect(await refusal(verifyToken(await forged({ kind: 'staff', store: STORE })))).toBe(missing);
    expect(await refusal(verifyToken(await forged({ kind: 'staff' }, 's')))).toBe(missing);
    expect(await refusal(verifyToken(await forged({ kind: 'admin', store: STORE }, 's')))).toBe(missing);
    expect(await refusal(verifyToken(await forged({ store: STORE }, 's')))).toBe(missing);
  });
});

describe('principalFrom and bearerToken', () => {
  it('read the principal of a bearer header', async () => {
    const principal: Principal = { kind: 'guest', userId: 'session-1', storeId: STORE };
    const token = await signToken(principal);
    expect(await principalFrom(`Bearer ${token}`)).toEqual(principal);
    expect(await principalFrom(`  bearer   ${token} `)).toEqual(principal);
  });

  it('need a bearer token', async () => {
    for (const header of [undefined, null, '', 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b']) {
      expect(await refusal(principalFrom(header))).toBe('A valid access token is required');
    }
    expect(bearerToken('BEARER abc.def')).toBe('abc.def');
    expect(bearerToken('Token abc')).toBeUndefined();
  });
});

describe('token lifetimes', () => {
  it('refuse a token that lives longer than AUTH_MAX_TOKEN_LIFETIME (30 days by default), at verify', async () => {
    const principal: Principal = { kind: 'staff', userId: 'staff-1', storeId: STORE };
    expect(await verifyToken(await signToken(principal, { expiresIn: '30d' }))).toEqual(principal);
    await expect(signToken(principal, { expiresIn: '31d' })).rejects.toThrow('AUTH_MAX_TOKEN_LIFETIME');
    const century = await forged({ kind: 'staff', store: STORE }, 'staff-1', '100y');
    expect(await refusal(verifyToken(century))).toBe('Token lives longer than tokens may');
  });

  it('refuse a token without iat or exp, or issued in the future', async () => {
    const noIat = await new SignJWT({ kind: 'staff', store: STORE })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .setIssuer('customer-graph')
      .setAudience('customer-graph')
      .setExpirationTime('1h')
      .sign(tokenSecret());
    expect(await refusal(verifyToken(noIat))).toBe('Token is invalid');
    const noExp = await new SignJWT({ kind: 'staff', store: STORE })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .setIssuer('customer-graph')
      .setAudience('customer-graph')
      .setIssuedAt()
      .sign(tokenSecret());
    expect(await refusal(verifyToken(noExp))).toBe('Token is invalid');
    // iat a year ahead would otherwise let a 30-day token live 13 months.
    const ahead = Math.floor(Date.now() / 1000) + 365 * 86_400;
    const future = await new SignJWT({ kind: 'staff', store: STORE })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('s')
      .setIssuer('customer-graph')
      .setAudience('customer-graph')
      .setIssuedAt(ahead)
      .setExpirationTime(ahead + 3600)
      .sign(tokenSecret());
    expect(await refusal(verifyToken(future))).toBe('Token is invalid');
  });
});

describe('the development secret that was once committed', () => {
  it('signs nothing that is accepted', async () => {
    // Published in this repository's history: anyone may hold it, so it must open nothing.
    const leaked = new TextEncoder().encode('customer-graph-development-secret-do-not-use-in-production');
    const token = await new SignJWT({ kind: 'staff', store: STORE, platform: true })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('attacker')
      .setIssuer('customer-graph')
      .setAudience('customer-graph')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(leaked);
    expect(await refusal(verifyToken(token))).toBe('Token is invalid');
  });
});
