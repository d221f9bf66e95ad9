import { StaffRole as BuiltInRole } from '@cg/auth';

/**
 * A member's role: a built-in one, or CUSTOM for a store's own action set. Also the database's
 * list of roles (db/schema/access.ts); access.type.ts registers it for GraphQL.
 */
export const MemberRole = { ...BuiltInRole, CUSTOM: 'CUSTOM' } as const;
export type MemberRole = (typeof MemberRole)[keyof typeof MemberRole];
