import { sql } from 'drizzle-orm';
import { check, foreignKey, index, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, timestamptz, updatedAt } from '@cg/db';
import { STAFF_ACTIONS } from '@cg/auth';
import { MemberRole } from '../../access/access.enum.ts';
import { customerSchema } from './base.ts';
import { stores } from './stores.ts';

/** Every action a role or grant may hold; the database refuses anything else. */
const STAFF_ACTIONS_SQL = sql.raw(`array[${STAFF_ACTIONS.map((action) => `'${action}'`).join(',')}]::text[]`);

/** Every role a member may have; the database refuses anything else. */
const MEMBER_ROLES_SQL = sql.raw(Object.values(MemberRole).map((role) => `'${role}'`).join(', '));

/** T6: a store's own action sets, assigned to staff members as their role. */
export const staffRoles = customerSchema.table(
  'staff_roles',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    name: text('name').notNull(),
    actions: text('actions').array().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'staff_roles_pkey', columns: [t.storeId, t.id] }),
    uniqueIndex('staff_roles_store_name_key').on(t.storeId, sql`lower(${t.name})`),
    check('staff_roles_actions_check', sql`${t.actions} <@ ${STAFF_ACTIONS_SQL}`),
  ],
);

/**
 * T6: the staff users of a store and their role: a built-in one (OWNER, MANAGER, VIEWER) or the
 * store's own action set (CUSTOM with `custom_role_id`). User ids are the tokens' subjects.
 */
export const staffMembers = customerSchema.table(
  'staff_members',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    userId: text('user_id').notNull(),
    role: text('role').notNull(),
    customRoleId: uuid('custom_role_id'),
    /** Who added or last changed the member; null for a store's first owner. */
    updatedBy: text('updated_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'staff_members_pkey', columns: [t.storeId, t.userId] }),
    // A custom role in use cannot be deleted: the member would be left without a role.
    foreignKey({
      columns: [t.storeId, t.customRoleId],
      foreignColumns: [staffRoles.storeId, staffRoles.id],
      name: 'staff_members_role_fk',
    }),
    check('staff_members_role_check', sql`${t.role} in (${MEMBER_ROLES_SQL})`),
    check('staff_members_custom_role_check', sql`(${t.role} = 'CUSTOM') = (${t.customRoleId} is not null)`),
    index('staff_members_role_idx').on(t.storeId, t.customRoleId),
  ],
);

/**
 * T6/S3 shared access: a staff user of elsewhere may use this store's Customers module with the
 * actions granted. A revoked grant stays as history; at most one is active per user and store.
 */
export const accessGrants = customerSchema.table(
  'access_grants',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    userId: text('user_id').notNull(),
    actions: text('actions').array().notNull(),
    grantedBy: text('granted_by').notNull(),
    grantedAt: timestamptz('granted_at').notNull().defaultNow(),
    revokedBy: text('revoked_by'),
    revokedAt: timestamptz('revoked_at'),
  },
  (t) => [
    primaryKey({ name: 'access_grants_pkey', columns: [t.storeId, t.id] }),
    uniqueIndex('access_grants_active_key')
      .on(t.storeId, t.userId)
      .where(sql`${t.revokedAt} is null`),
    index('access_grants_store_idx').on(t.storeId, t.grantedAt, t.id),
    check('access_grants_actions_check', sql`cardinality(${t.actions}) > 0 and ${t.actions} <@ ${STAFF_ACTIONS_SQL}`),
    check('access_grants_revoked_check', sql`(${t.revokedAt} is null) = (${t.revokedBy} is null)`),
  ],
);

export type StaffRoleRow = typeof staffRoles.$inferSelect;
export type StaffMemberRow = typeof staffMembers.$inferSelect;
export type AccessGrantRow = typeof accessGrants.$inferSelect;
