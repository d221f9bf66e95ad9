import 'reflect-metadata';
import { Authorized, Query, Resolver, type ResolverData } from 'type-graphql';
import { PgDialect, pgTable, uuid } from 'drizzle-orm/pg-core';
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { StaffAction, type Principal } from '@cg/auth';
import {
  Caller,
  actorKind,
  actsFor,
  assertRootFieldsAuthorized,
  authChecker,
  can,
  maskEmail,
  maskIp,
  maskPhone,
  ownRows,
  personal,
  requireAction,
  seesPersonalData,
  staffOnly,
  type Permission,
  type PersonalKind,
} from './authorization.ts';
import { buildFederatedSchema } from './build.ts';
import { baseContext, type BaseContext } from './context.ts';

const STORE = '7d2f7c1e-2b7a-4f3e-9a51-0c6d5b1f2e3a';
const CUSTOMER = '3f1b6e0a-8c2d-4a5e-b9f7-1d2c3b4a5e6f';

function staff(actions: StaffAction[] | undefined): BaseContext {
  const principal: Principal = { kind: 'staff', userId: 'staff-1', storeId: STORE };
  return baseContext(principal, undefined, actions && { userId: 'staff-1', storeId: STORE, actions, platform: false });
}
const customer = (userId = CUSTOMER) => baseContext({ kind: 'customer', userId, storeId: STORE });
const guest = () => baseContext({ kind: 'guest', userId: 'session-1', storeId: STORE });

function forbiddenMessage(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    expect((error as GraphQLError).extensions.code).toBe('FORBIDDEN');
    return (error as GraphQLError).message;
  }
  throw new Error('expected a FORBIDDEN error');
}

describe('maskEmail', () => {
  it('keeps the first letter and the top-level domain', () => {
    expect(maskEmail('ayse.yilmaz@example.com')).toBe('a***@***.com');
    expect(maskEmail('Bob@mail.example.co.uk')).toBe('B***@***.uk');
  });

  it('keeps no domain part when the only dot is before the @', () => {
    expect(maskEmail('first.last@localhost')).toBe('f***@***');
  });

  it('shows nothing of a domain without a dot', () => {
    expect(maskEmail('a@b')).toBe('a***@***');
    expect(maskEmail('root@localhost')).toBe('r***@***');
    expect(maskEmail('a.b@c')).toBe('a***@***');
  });

  it('masks everything when there is no local part', () => {
    expect(maskEmail('not an email')).toBe('***');
    expect(maskEmail('@example.com')).toBe('***');
    expect(maskEmail('')).toBe('***');
  });
});

describe('maskPhone', () => {
  it('keeps the plus and the last two digits', () => {
    expect(maskPhone('+905321234567')).toBe('+**********67');
    expect(maskPhone('05321234567')).toBe('********67');
    expect(maskPhone('12345')).toBe('**45');
  });

  it('masks everything of a number too short to hide', () => {
    expect(maskPhone('1234')).toBe('***');
    expect(maskPhone('')).toBe('***');
  });
});

describe('maskIp', () => {
  it('keeps the first half of an IPv4 address', () => {
    expect(maskIp('203.0.113.42')).toBe('203.0.***.***');
    expect(maskIp(' 10.1.2.3 ')).toBe('10.1.***.***');
  });

  it('keeps the first two groups of an IPv6 address', () => {
    expect(maskIp('2001:db8:85a3::8a2e:370:7334')).toBe('2001:db8:***');
    expect(maskIp('2001:0db8:0000:0000:0000:ff00:0042:8329')).toBe('2001:0db8:***');
    expect(maskIp('fe80::1')).toBe('fe80:***');
    expect(maskIp('::1')).toBe('::***');
  });

  it('masks the IPv4 part of an IPv4-mapped IPv6 address alike', () => {
    expect(maskIp('::ffff:203.0.113.42')).toBe('::ffff:203.0.***.***');
  });

  it('masks everything of what is no IP address', () => {
    expect(maskIp('localhost')).toBe('***');
    expect(maskIp('203.0.113')).toBe('***');
    expect(maskIp('')).toBe('***');
  });
});

describe('personal', () => {
  async function seenBy(ctx: BaseContext, kind: PersonalKind | undefined, value: unknown): Promise<unknown> {
    const middleware = personal(kind);
    return middleware({ context: ctx } as ResolverData<BaseContext>, () => Promise.resolve(value));
  }
  const masked = staff([StaffAction.CUSTOMERS_READ]);

  it('gives the value to staff with PERSONAL_DATA_READ, to customers and to guests', async () => {
    for (const ctx of [staff([StaffAction.PERSONAL_DATA_READ]), customer(), guest()]) {
      expect(seesPersonalData(ctx)).toBe(true);
      expect(await seenBy(ctx, 'email', 'ada@example.com')).toBe('ada@example.com');
      expect(await seenBy(ctx, 'json', { email: 'ada@example.com' })).toEqual({ email: 'ada@example.com' });
    }
  });

  it('masks it for other staff, by kind', async () => {
    expect(seesPersonalData(masked)).toBe(false);
    expect(seesPersonalData(staff(undefined))).toBe(false);
    expect(await seenBy(masked, 'email', 'ada@example.com')).toBe('a***@***.com');
    expect(await seenBy(masked, 'phone', '+905321234567')).toBe('+**********67');
    expect(await seenBy(masked, 'text', '1990-12-10')).toBe('***');
    expect(await seenBy(masked, 'ip', '198.51.100.7')).toBe('198.51.***.***');
    expect(await seenBy(masked, 'ip', '2001:db8::7')).toBe('2001:db8:***');
    expect(await seenBy(masked, undefined, 'Flat 4')).toBe('***');
  });

  it('keeps null and absent values, and hides values that are not text', async () => {
    expect(await seenBy(masked, 'email', null)).toBeNull();
    expect(await seenBy(masked, 'text', undefined)).toBeUndefined();
    expect(await seenBy(masked, 'text', 1990)).toBeNull();
    expect(await seenBy(masked, 'phone', ['+905321234567'])).toBeNull();
  });

  it('masks the personal keys of a snapshot and keeps the rest', async () => {
    const snapshot = {
      id: CUSTOMER,
      email: 'ada@example.com',
      phone: '+905321234567',
      birthDate: '1990-12-10',
      line1: 'Main street 1',
      postalCode: null,
      guestEmail: 'guest@example.org',
      guestEmailKey: 'guest@example.org',
      guestPhone: '+441234567890',
      ip: '198.51.100.7',
      country: 'TR',
      totalSpent: 1999,
      address: { line1: 'nested values are left to their own snapshot' },
    };
    expect(await seenBy(masked, 'json', snapshot)).toEqual({
      id: CUSTOMER,
      email: 'a***@***.com',
      phone: '+**********67',
      birthDate: '***',
      line1: '***',
      postalCode: null,
      guestEmail: 'g***@***.org',
      guestEmailKey: 'g***@***.org',
      guestPhone: '+**********90',
      ip: '198.51.***.***',
      country: 'TR',
      totalSpent: 1999,
      address: { line1: 'nested values are left to their own snapshot' },
    });
    expect(await seenBy(masked, 'json', null)).toBeNull();
    expect(await seenBy(masked, 'json', [{ email: 'ada@example.com' }])).toEqual([{ email: 'ada@example.com' }]);
  });
});

describe('actions and callers', () => {
  it('can: staff holding the action in this store, nobody else', () => {
    expect(can(staff([StaffAction.CUSTOMERS_READ]), StaffAction.CUSTOMERS_READ)).toBe(true);
    expect(can(staff([StaffAction.CUSTOMERS_READ]), StaffAction.CUSTOMERS_EDIT)).toBe(false);
    expect(can(staff(undefined), StaffAction.CUSTOMERS_READ)).toBe(false);
    const customerWithAccess = {
      ...customer(),
      access: { userId: CUSTOMER, storeId: STORE, actions: [StaffAction.CUSTOMERS_READ], platform: false },
    };
    expect(can(customerWithAccess, StaffAction.CUSTOMERS_READ)).toBe(false);
  });

  it('requireAction names the missing action', () => {
    expect(() => requireAction(staff([StaffAction.WALLET_ADJUST]), StaffAction.WALLET_ADJUST)).not.toThrow();
    expect(forbiddenMessage(() => requireAction(staff([]), StaffAction.WALLET_ADJUST))).toBe(
      'This needs the WALLET_ADJUST action in this store',
    );
  });

  it('actsFor: staff for anyone, a customer for themselves only (ids compared case-insensitively)', () => {
    expect(actsFor(staff([]), CUSTOMER)).toBe(true);
    expect(actsFor(customer(), CUSTOMER.toUpperCase())).toBe(true);
    expect(actsFor(customer(), STORE)).toBe(false);
    expect(actsFor(guest(), CUSTOMER)).toBe(true);
  });

  it('actorKind: staff or customer; a guest changes nothing', () => {
    expect(actorKind(staff([]))).toBe('staff');
    expect(actorKind(customer())).toBe('customer');
    expect(forbiddenMessage(() => actorKind(guest()))).toBe('Sign in to do this');
  });

  it('ownRows confines a customer to their rows and staff to nothing', () => {
    const orders = pgTable('orders', { customerId: uuid('customer_id') });
    expect(ownRows(staff([]), orders.customerId)).toBeUndefined();
    expect(new PgDialect().sqlToQuery(ownRows(customer(), orders.customerId)!)).toMatchObject({
      sql: '"orders"."customer_id" = $1',
      params: [CUSTOMER],
    });
  });

  it('staffOnly gives customers and guests the empty value', async () => {
    const middleware = staffOnly<string[]>([]);
    const run = (ctx: BaseContext) =>
      middleware({ context: ctx } as ResolverData<BaseContext>, () => Promise.resolve(['vip']));
    expect(await run(staff([]))).toEqual(['vip']);
    expect(await run(customer())).toEqual([]);
    expect(await run(guest())).toEqual([]);
  });
});

describe('authChecker', () => {
  const check = (ctx: BaseContext, permissions: Permission[]) =>
    authChecker({ context: ctx } as ResolverData<BaseContext>, permissions);

  it('lets staff through with every listed action, and names the missing ones', () => {
    const editor = staff([StaffAction.CUSTOMERS_READ, StaffAction.CUSTOMERS_EDIT]);
    expect(check(editor, [StaffAction.CUSTOMERS_READ, StaffAction.CUSTOMERS_EDIT, Caller.CUSTOMER])).toBe(true);
    expect(forbiddenMessage(() => check(editor, [StaffAction.CUSTOMERS_READ, StaffAction.CUSTOMERS_ERASE]))).toBe(
      'This needs the CUSTOMERS_ERASE action in this store',
    );
    expect(forbiddenMessage(() => check(staff([]), [StaffAction.AUDIT_READ, StaffAction.ACCESS_MANAGE]))).toBe(
      'This needs the AUDIT_READ, ACCESS_MANAGE actions in this store',
    );
  });

  it('lets any staff through Caller.STAFF, and no staff through customer-only fields', () => {
    expect(check(staff(undefined), [Caller.STAFF])).toBe(true);
    expect(forbiddenMessage(() => check(staff([StaffAction.CUSTOMERS_READ]), [Caller.CUSTOMER, Caller.GUEST]))).toBe(
      'This is for customers, not staff',
    );
  });

  it('lets customers and guests through their marker only', () => {
    expect(check(customer(), [StaffAction.CUSTOMERS_READ, Caller.CUSTOMER])).toBe(true);
    expect(forbiddenMessage(() => check(customer(), [StaffAction.CUSTOMERS_READ, Caller.GUEST]))).toBe(
      'A customer account cannot do this',
    );
    expect(forbiddenMessage(() => check(customer(), [Caller.STAFF]))).toBe('A customer account cannot do this');
    expect(check(guest(), [Caller.GUEST])).toBe(true);
    expect(forbiddenMessage(() => check(guest(), [Caller.CUSTOMER]))).toBe('Sign in to do this');
  });
});

describe('assertRootFieldsAuthorized', () => {
  it('makes building a schema fail when a root field names no permission', async () => {
    @Resolver()
    class Guarded {
      @Authorized(StaffAction.CUSTOMERS_READ)
      @Query(() => String)
      guarded(): string {
        return '';
      }
    }
    @Resolver()
    class Open {
      @Authorized(Caller.STAFF)
      @Query(() => String)
      fine(): string {
        return '';
      }
      @Query(() => String)
      forgotten(): string {
        return '';
      }
    }
    await expect(buildFederatedSchema({ resolvers: [Guarded, Open] })).rejects.toThrow(
      'Root fields without @Authorized: Open.forgotten',
    );
    await expect(buildFederatedSchema({ resolvers: [Guarded] })).resolves.toBeDefined();
    expect(() => assertRootFieldsAuthorized([Guarded])).not.toThrow();
  });
});
