import { getMetadataStorage, type AuthCheckerFn, type MiddlewareFn } from 'type-graphql';
import { isIPv4, isIPv6 } from 'node:net';
import { eq, type Column, type SQL } from 'drizzle-orm';
import { StaffAction, isStaffAction, type StaffAction as Action } from '@cg/auth';
import { MASKED_PERSONAL_KEYS } from '@cg/events';
import type { BaseContext } from './context.ts';
import { forbidden } from './errors.ts';

/**
 * Who besides staff holding the listed actions may call a field, named in `@Authorized(...)` next to
 * the actions: `@Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER)`.
 * A customer is then confined to their own data by the field's service and by row-level security.
 */
export const Caller = {
  /** Any staff user with access to the store, whatever their actions. */
  STAFF: 'caller:staff',
  /** A signed-in customer, for their own data (the account features of S4). */
  CUSTOMER: 'caller:customer',
  /** A storefront without a signed-in customer (O10 guest order lookup). */
  GUEST: 'caller:guest',
} as const;

export type Permission = Action | (typeof Caller)[keyof typeof Caller];

export function can(ctx: BaseContext, action: Action): boolean {
  return ctx.principal.kind === 'staff' && (ctx.access?.actions.includes(action) ?? false);
}

/** Throws FORBIDDEN naming the missing action; for checks that depend on the arguments. */
export function requireAction(ctx: BaseContext, action: Action): void {
  if (!can(ctx, action)) throw forbidden(`This needs the ${action} action in this store`);
}

/** Staff act for any customer of the store; a signed-in customer only for themselves. */
export function actsFor(ctx: BaseContext, customerId: string): boolean {
  return ctx.principal.kind !== 'customer' || ctx.principal.userId.toLowerCase() === customerId.toLowerCase();
}

/** Who records a change, for the rows that keep it; guests change nothing (authorization lets none through). */
export function actorKind(ctx: BaseContext): 'staff' | 'customer' {
  const { kind } = ctx.principal;
  if (kind === 'guest') throw forbidden('Sign in to do this');
  return kind;
}

/** The condition that confines a signed-in customer to their own rows; undefined for staff. */
export function ownRows(ctx: BaseContext, customerColumn: Column): SQL | undefined {
  return ctx.principal.kind === 'customer' ? eq(customerColumn, ctx.principal.userId) : undefined;
}

/**
 * For fields customers must never see (internal notes, tags): they get `empty` instead, so their
 * own profile still renders. `@UseMiddleware(staffOnly(null))`.
 */
export function staffOnly<T>(empty: T): MiddlewareFn<BaseContext> {
  return async ({ context }, next) => (context.principal.kind === 'staff' ? next() : empty);
}

/** Customers and guests may see their own personal data; staff need PERSONAL_DATA_READ. */
export function seesPersonalData(ctx: BaseContext): boolean {
  return ctx.principal.kind !== 'staff' || can(ctx, StaffAction.PERSONAL_DATA_READ);
}

/**
 * Staff need every action listed; customers and guests need their `Caller` marker. Refusals are
 * FORBIDDEN errors that name what is missing, rather than type-graphql's generic message.
 */
export const authChecker: AuthCheckerFn<BaseContext, Permission> = ({ context }, permissions) => {
  const { kind } = context.principal;
  if (kind === 'customer' || kind === 'guest') {
    if (permissions.includes(kind === 'customer' ? Caller.CUSTOMER : Caller.GUEST)) return true;
    throw forbidden(kind === 'customer' ? 'A customer account cannot do this' : 'Sign in to do this');
  }
  if (permissions.includes(Caller.STAFF)) return true;
  const actions = permissions.filter(isStaffAction);
  if (!actions.length) throw forbidden('This is for customers, not staff');
  const missing = actions.filter((action) => !can(context, action));
  if (missing.length)
    throw forbidden(`This needs the ${missing.join(', ')} action${missing.length > 1 ? 's' : ''} in this store`);
  return true;
};

/**
 * A schema field that forgot `@Authorized` would be open to every token of the store; building the
 * schema fails instead.
 */
// eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
export function assertRootFieldsAuthorized(resolvers: readonly Function[]): void {
  const storage = getMetadataStorage();
  const roots = [...storage.queries, ...storage.mutations, ...storage.subscriptions].filter((root) =>
    resolvers.some((resolver) => root.target === resolver || resolver.prototype instanceof root.target),
  );
  const open = roots.filter((root) => !root.roles).map((root) => `${root.target.name}.${root.methodName}`);
  if (open.length) throw new Error(`Root fields without @Authorized: ${open.join(', ')}`);
}

const MASK = '***';

/** `ayse.yilmaz@example.com` → `a***@***.com`: enough to recognise, not to contact. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  const dot = email.lastIndexOf('.');
  // Only a dot in the domain starts a top-level domain; a domain without one shows nothing of it.
  const tld = dot > at ? email.slice(dot) : '';
  return at > 0 ? `${email[0]}${MASK}@${MASK}${tld}` : MASK;
}

/** `+905321234567` → `+**********67`: the plus and the last two digits. */
export function maskPhone(phone: string): string {
  return phone.length > 4
    ? `${phone.startsWith('+') ? '+' : ''}${'*'.repeat(phone.length - 3)}${phone.slice(-2)}`
    : MASK;
}

/**
 * `203.0.113.42` → `203.0.***.***`, `2001:db8:85a3::8a2e:370:7334` → `2001:db8:***`: the network, not
 * the connection. An IPv4-mapped IPv6 address keeps its prefix and masks the IPv4 part alike.
 */
export function maskIp(ip: string): string {
  const value = ip.trim();
  const mapped = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(value);
  if (isIPv4(value)) return maskIpv4(value);
  if (mapped && isIPv6(value)) return `${mapped[1]}${maskIpv4(mapped[2]!)}`;
  if (!isIPv6(value)) return MASK;
  const groups = value.split('::')[0]!.split(':').filter(Boolean).slice(0, 2);
  return `${groups.length ? `${groups.join(':')}:` : '::'}${MASK}`;
}

const maskIpv4 = (ip: string) => `${ip.split('.').slice(0, 2).join('.')}.${MASK}.${MASK}`;

/** `json`: a snapshot (audit before/after) whose personal keys are masked, the rest kept. */
export type PersonalKind = 'email' | 'phone' | 'ip' | 'text' | 'json';

function maskValue(value: unknown, kind: PersonalKind): unknown {
  if (value === null || value === undefined) return value;
  if (kind === 'json') {
    if (typeof value !== 'object' || Array.isArray(value)) return value;
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => {
        const masked = MASKED_PERSONAL_KEYS[key];
        return [key, masked ? maskValue(inner, masked) : inner];
      }),
    );
  }
  if (typeof value !== 'string') return null;
  if (kind === 'email') return maskEmail(value);
  if (kind === 'phone') return maskPhone(value);
  if (kind === 'ip') return maskIp(value);
  return MASK;
}

/**
 * X4 field rule: personal data comes back masked, not as an error, to staff without
 * PERSONAL_DATA_READ, so a list or detail view still renders. `@UseMiddleware(personal('email'))`.
 */
export function personal(kind: PersonalKind = 'text'): MiddlewareFn<BaseContext> {
  return async ({ context }, next) => {
    const value: unknown = await next();
    return seesPersonalData(context) ? value : maskValue(value, kind);
  };
}
