import { afterEach, describe, expect, it, vi } from 'vitest';
import { signAccess, verifyAccess } from './access.ts';
import { signGatewayAssertion, verifyGatewayAssertion } from './gateway-assertion.ts';
import { InvalidTokenError, signToken, verifyToken } from './token.ts';

const STORE = '7d2f7c1e-2b7a-4f3e-9a51-0c6d5b1f2e3a';
const access = { userId: 'staff-1', storeId: STORE, actions: [], platform: false };

async function refused(verification: Promise<unknown>): Promise<boolean> {
  return verification.then(
    () => false,
    (error: unknown) => error instanceof InvalidTokenError,
  );
}

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
});

describe('a token verified before', () => {
  it('is refused once it expires, however often it verified', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T08:00:00Z'), toFake: ['Date'] });
    const token = await signToken({ kind: 'staff', userId: 'staff-1', storeId: STORE }, { expiresIn: '10m' });
    for (let i = 0; i < 3; i += 1) expect((await verifyToken(token)).userId).toBe('staff-1');
    vi.setSystemTime(new Date('2026-05-01T08:09:59Z'));
    expect((await verifyToken(token)).userId).toBe('staff-1');
    vi.setSystemTime(new Date('2026-05-01T08:10:00Z'));
    expect(await refused(verifyToken(token))).toBe(true);
  });

  it('is refused under another secret', async () => {
    const token = await signToken({ kind: 'staff', userId: 'staff-1', storeId: STORE });
    expect((await verifyToken(token)).userId).toBe('staff-1');
    vi.stubEnv('AUTH_SECRET', 'another-secret-of-at-least-32-characters');
    expect(await refused(verifyToken(token))).toBe(true);
  });

  it('is refused as a token of another kind', async () => {
    const assertion = await signAccess(access);
    expect(await verifyAccess(assertion)).toEqual(access);
    expect(await refused(verifyToken(assertion))).toBe(true);
    const token = await signToken({ kind: 'staff', userId: 'staff-1', storeId: STORE });
    const gateway = await signGatewayAssertion(token, {});
    expect(await verifyGatewayAssertion(gateway, token)).toEqual({});
    expect(await refused(verifyAccess(gateway))).toBe(true);
    expect(await refused(verifyGatewayAssertion(gateway, 'another-token'))).toBe(true);
  });
});
