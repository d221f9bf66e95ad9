import { SignJWT, decodeJwt } from 'jose';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { signAccess, verifyAccess, type StoreAccess } from './access.ts';
import { ROLE_ACTIONS, STAFF_ACTIONS, StaffAction, isStaffAction } from './actions.ts';
import { InvalidTokenError, signToken } from './token.ts';
import { assertionKey, tokenSecret } from './keys.ts';

const STORE = '7d2f7c1e-2b7a-4f3e-9a51-0c6d5b1f2e3a';
const access: StoreAccess = {
  userId: 'staff-1',
  storeId: STORE,
  actions: [StaffAction.CUSTOMERS_READ, StaffAction.AUDIT_READ],
  platform: false,
};

function forged(claims: Record<string, unknown>, subject?: string): Promise<string> {
  const jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256' })
    .setIssuer('customer-graph/customer')
    .setAudience('customer-graph/access')
    .setIssuedAt()
    .setExpirationTime('1m');
  return (subject ? jwt.setSubject(subject) : jwt).sign(assertionKey());
}

async function refusal(assertion: Promise<unknown>): Promise<string> {
  const error = await assertion.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(InvalidTokenError);
  return (error as Error).message;
}

afterEach(() => {
  vi.useRealTimers();
});

describe('access assertions', () => {
  it('round-trip a staff user’s access in a store', async () => {
    expect(await verifyAccess(await signAccess(access))).toEqual(access);
    const platform = { ...access, actions: [...STAFF_ACTIONS], platform: true };
    expect(await verifyAccess(await signAccess(platform))).toEqual(platform);
  });

  it('last two minutes', async () => {
    vi.useFakeTimers({ now: new Date('2026-05-01T08:00:00Z'), toFake: ['Date'] });
    const assertion = await signAccess(access);
    expect(decodeJwt(assertion).exp! - decodeJwt(assertion).iat!).toBe(120);
    vi.setSystemTime(new Date('2026-05-01T08:01:59Z'));
    expect(await verifyAccess(assertion)).toEqual(access);
    vi.setSystemTime(new Date('2026-05-01T08:02:01Z'));
    expect(await refusal(verifyAccess(assertion))).toBe('Access assertion is invalid or expired');
  });

  it('are not interchangeable with access tokens', async () => {
    const token = await signToken({ kind: 'staff', userId: 'staff-1', storeId: STORE });
    expect(await refusal(verifyAccess(token))).toBe('Access assertion is invalid or expired');
  });

  it('are signed with ASSERTION_SECRET, not with the token secret', async () => {
    const withTokenSecret = await new SignJWT({ store: STORE, actions: [...STAFF_ACTIONS], platform: true })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('staff-1')
      .setIssuer('customer-graph/customer')
      .setAudience('customer-graph/access')
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(tokenSecret());
    expect(await refusal(verifyAccess(withTokenSecret))).toBe('Access assertion is invalid or expired');
  });

  it('drop actions that are not staff actions, and need subject, store and actions', async () => {
    const unknown = await forged({ store: STORE, actions: ['CUSTOMERS_READ', 'DROP_TABLES', 7] }, 'staff-1');
    expect(await verifyAccess(unknown)).toEqual({
      userId: 'staff-1',
      storeId: STORE,
      actions: ['CUSTOMERS_READ'],
      platform: false,
    });
    const incomplete = 'Access assertion is incomplete';
    expect(await refusal(verifyAccess(await forged({ store: STORE, actions: [] })))).toBe(incomplete);
    expect(await refusal(verifyAccess(await forged({ actions: [] }, 'staff-1')))).toBe(incomplete);
    expect(await refusal(verifyAccess(await forged({ store: STORE, actions: 'ALL' }, 'staff-1')))).toBe(incomplete);
  });

  it('take platform only when it is true', async () => {
    const assertion = await forged({ store: STORE, actions: [], platform: 'yes' }, 'staff-1');
    expect((await verifyAccess(assertion)).platform).toBe(false);
  });
});

describe('staff actions and roles', () => {
  it('know their actions', () => {
    expect(isStaffAction('CUSTOMERS_READ')).toBe(true);
    expect(isStaffAction('customers_read')).toBe(false);
    expect(isStaffAction('toString')).toBe(false);
    expect(new Set(STAFF_ACTIONS).size).toBe(STAFF_ACTIONS.length);
  });

  it('give owners everything, managers all but access management, viewers reading only', () => {
    expect(ROLE_ACTIONS.OWNER).toEqual(STAFF_ACTIONS);
    expect([...ROLE_ACTIONS.MANAGER, StaffAction.ACCESS_MANAGE].sort()).toEqual([...STAFF_ACTIONS].sort());
    expect(ROLE_ACTIONS.MANAGER).not.toContain(StaffAction.ACCESS_MANAGE);
    expect(ROLE_ACTIONS.VIEWER).toEqual([StaffAction.CUSTOMERS_READ]);
  });
});
