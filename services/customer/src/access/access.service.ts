import { and, asc, count, eq, inArray, isNull, sql } from 'drizzle-orm';
import { ROLE_ACTIONS, STAFF_ACTIONS, StaffAction, type StoreAccess } from '@cg/auth';
import { inStoreScope, isForeignKeyViolation, isUniqueViolation, type Tx } from '@cg/db';
import { auditChanges, auditSnapshot, type AuditChange } from '@cg/events';
import {
  conflict,
  forbidden,
  notFound,
  parseInput,
  requireId,
  type BaseContext,
  type ConnectionResult,
  keysetSort,
  rootConnection,
  tableConnection,
} from '@cg/subgraph';
import {
  accessGrants,
  staffMembers,
  staffRoles,
  stores,
  type AccessGrantRow,
  type StaffMemberRow,
  type StaffRoleRow,
} from '../db/schema/index.ts';
import { audit } from '../audit-trail.ts';
import type { CustomerDb } from '../context.ts';
import { MemberRole } from './access.type.ts';
import {
  createStaffRoleSchema,
  grantAccessSchema,
  revokeAccessSchema,
  setStaffMemberSchema,
  updateStaffRoleSchema,
  type CreateStaffRoleInput,
  type GrantAccessInput,
  type RevokeAccessInput,
  type SetStaffMemberInput,
  type UpdateStaffRoleInput,
} from './access.inputs.ts';

export interface FoundAccess {
  access: StoreAccess;
  role: MemberRole | null;
}

/**
 * A user's access in each of `storeIds`, in one statement: their membership and its role (a custom
 * role's action set), plus an active shared-access grant. A store where they have neither (and
 * that platform staff cannot see because it does not exist) is absent from the result.
 */
export async function findAccess(
  db: CustomerDb,
  user: { userId: string; platform?: boolean },
  storeIds: readonly string[],
): Promise<Map<string, FoundAccess>> {
  const rows = await db
    .select({
      storeId: stores.id,
      role: staffMembers.role,
      roleActions: staffRoles.actions,
      granted: accessGrants.actions,
    })
    .from(stores)
    .leftJoin(staffMembers, and(eq(staffMembers.storeId, stores.id), eq(staffMembers.userId, user.userId)))
    .leftJoin(
      staffRoles,
      and(eq(staffRoles.storeId, staffMembers.storeId), eq(staffRoles.id, staffMembers.customRoleId)),
    )
    .leftJoin(
      accessGrants,
      and(eq(accessGrants.storeId, stores.id), eq(accessGrants.userId, user.userId), isNull(accessGrants.revokedAt)),
    )
    .where(inArray(stores.id, [...storeIds]));
  const found = new Map<string, FoundAccess>();
  for (const row of rows) {
    const role = row.role as MemberRole | null;
    const fromRole = role === null ? [] : roleActions(role, row.roleActions);
    const actions = user.platform ? STAFF_ACTIONS : [...new Set([...fromRole, ...(row.granted ?? [])])];
    if (!user.platform && role === null && !row.granted) continue;
    found.set(row.storeId, {
      role,
      access: {
        userId: user.userId,
        storeId: row.storeId,
        actions: STAFF_ACTIONS.filter((action) => actions.includes(action)),
        platform: user.platform === true,
      },
    });
  }
  return found;
}

/** What a member's role allows: a built-in role's actions, or its custom set's. */
export function roleActions(role: MemberRole, customActions: readonly string[] | null | undefined): readonly string[] {
  return role === MemberRole.CUSTOM ? (customActions ?? []) : ROLE_ACTIONS[role];
}

/** A store's first owner, when the store is created (platform administration, demo data, tests). */
export async function addOwner(db: CustomerDb, storeId: string, userId: string): Promise<void> {
  await db.insert(staffMembers).values({ storeId, userId, role: MemberRole.OWNER }).onConflictDoNothing();
}

type ListedMember = StaffMemberRow & { customRole: StaffRoleRow | null };
const memberSort = keysetSort<ListedMember>('staff-member:user', 'asc', [
  [staffMembers.userId, 'text', (row) => row.userId],
]);
const grantSort = keysetSort<AccessGrantRow>('access-grant:granted', 'desc', [
  [accessGrants.grantedAt, 'timestamptz', (row) => row.grantedAt],
  [accessGrants.id, 'uuid', (row) => row.id],
]);

const AUDIT_OMIT = ['storeId', 'createdAt', 'updatedAt'];

/** T6: roles, custom action sets and shared access of the store the request works in. */
export class AccessService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  async mine(): Promise<FoundAccess['access'] & { role: MemberRole | null }> {
    const access = this.ctx.access;
    if (!access) throw forbidden('Only staff have store access');
    const found = await findAccess(this.db, this.ctx.principal, [this.ctx.storeId]);
    return { ...access, role: found.get(this.ctx.storeId)?.role ?? null };
  }

  async members(args: { first?: number | null; after?: string | null }): Promise<ConnectionResult<ListedMember>> {
    const inStore = eq(staffMembers.storeId, this.ctx.storeId);
    return rootConnection(memberSort, args, {
      page: async ({ after, orderBy, limit }) => {
        const rows = await this.db
          .select({ member: staffMembers, customRole: staffRoles })
          .from(staffMembers)
          .leftJoin(
            staffRoles,
            and(eq(staffRoles.storeId, staffMembers.storeId), eq(staffRoles.id, staffMembers.customRoleId)),
          )
          .where(and(inStore, after))
          .orderBy(...orderBy)
          .limit(limit);
        return rows.map((row) => ({ ...row.member, customRole: row.customRole }));
      },
      count: () => this.db.select({ total: count() }).from(staffMembers).where(inStore),
    });
  }

  roles(): Promise<StaffRoleRow[]> {
    return this.db
      .select()
      .from(staffRoles)
      .where(eq(staffRoles.storeId, this.ctx.storeId))
      .orderBy(asc(sql`lower(${staffRoles.name})`), asc(staffRoles.id));
  }

  async grants(args: {
    first?: number | null;
    after?: string | null;
    includeRevoked?: boolean | null;
  }): Promise<ConnectionResult<AccessGrantRow>> {
    return tableConnection(this.db, {
      table: accessGrants,
      sort: grantSort,
      conditions: [
        eq(accessGrants.storeId, this.ctx.storeId),
        args.includeRevoked ? undefined : isNull(accessGrants.revokedAt),
      ],
      args,
    });
  }

  async createRole(input: CreateStaffRoleInput): Promise<StaffRoleRow> {
    const data = parseInput(createStaffRoleSchema, input, 'input');
    try {
      return await this.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(staffRoles)
          .values({ storeId: this.ctx.storeId, ...data })
          .returning();
        await this.audit(tx, {
          action: 'staffRole.create',
          entityType: 'StaffRole',
          entityId: row!.id,
          before: null,
          after: auditSnapshot(row!, AUDIT_OMIT),
        });
        return row!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'staff_roles_store_name_key'))
        throw conflict(`A staff role named "${data.name}" already exists`);
      throw error;
    }
  }

  async updateRole(id: string, input: UpdateStaffRoleInput): Promise<StaffRoleRow> {
    requireId(id);
    const data = parseInput(updateStaffRoleSchema, input, 'input');
    try {
      return await this.db.transaction(async (tx) => {
        const where = and(eq(staffRoles.storeId, this.ctx.storeId), eq(staffRoles.id, id));
        const [current] = await tx.select().from(staffRoles).where(where).for('update');
        if (!current) throw notFound('Staff role', id);
        const [row] = await tx
          .update(staffRoles)
          .set({ ...data, updatedAt: new Date() })
          .where(where)
          .returning();
        await this.audit(tx, {
          action: 'staffRole.update',
          entityType: 'StaffRole',
          entityId: id,
          ...auditChanges(current, row!, AUDIT_OMIT),
        });
        return row!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'staff_roles_store_name_key'))
        throw conflict(`A staff role named "${data.name}" already exists`);
      throw error;
    }
  }

  /** A role that members still hold is kept: CONFLICT (the foreign key decides, race-free). */
  async deleteRole(id: string): Promise<StaffRoleRow> {
    requireId(id);
    try {
      return await this.db.transaction(async (tx) => {
        const [row] = await tx
          .delete(staffRoles)
          .where(and(eq(staffRoles.storeId, this.ctx.storeId), eq(staffRoles.id, id)))
          .returning();
        if (!row) throw notFound('Staff role', id);
        await this.audit(tx, {
          action: 'staffRole.delete',
          entityType: 'StaffRole',
          entityId: id,
          before: auditSnapshot(row, AUDIT_OMIT),
          after: null,
        });
        return row;
      });
    } catch (error) {
      if (isForeignKeyViolation(error))
        throw conflict('Staff members still hold this role; give them another one first');
      throw error;
    }
  }

  async setMember(input: SetStaffMemberInput): Promise<ListedMember> {
    const data = parseInput(setStaffMemberSchema, input, 'input');
    try {
      const member = await this.db.transaction(async (tx) => {
        const current = await this.lockMember(tx, data.userId);
        if (current?.role === MemberRole.OWNER && data.role !== MemberRole.OWNER)
          await this.keepAnOwner(tx, data.userId);
        const values = {
          role: data.role,
          customRoleId: data.customRoleId ?? null,
          updatedBy: this.ctx.principal.userId,
        };
        const [row] = await tx
          .insert(staffMembers)
          .values({ storeId: this.ctx.storeId, userId: data.userId, ...values })
          .onConflictDoUpdate({
            target: [staffMembers.storeId, staffMembers.userId],
            set: { ...values, updatedAt: new Date() },
          })
          .returning();
        const change = current
          ? auditChanges(current, row!, [...AUDIT_OMIT, 'updatedBy'])
          : { before: null, after: auditSnapshot(row!, AUDIT_OMIT) };
        await this.audit(tx, {
          action: 'staffMember.set',
          entityType: 'StaffMember',
          entityId: data.userId,
          ...change,
        });
        return row!;
      });
      return { ...member, customRole: member.customRoleId ? await this.role(member.customRoleId) : null };
    } catch (error) {
      if (isForeignKeyViolation(error)) throw notFound('Staff role', data.customRoleId ?? undefined);
      throw error;
    }
  }

  async removeMember(userId: string): Promise<ListedMember> {
    const { userId: id } = parseInput(revokeAccessSchema.pick({ userId: true }), { userId }, '');
    return this.db.transaction(async (tx) => {
      const current = await this.lockMember(tx, id);
      if (!current) throw notFound('Staff member', id);
      if (current.role === MemberRole.OWNER) await this.keepAnOwner(tx, id);
      await tx.delete(staffMembers).where(and(eq(staffMembers.storeId, this.ctx.storeId), eq(staffMembers.userId, id)));
      await this.audit(tx, {
        action: 'staffMember.remove',
        entityType: 'StaffMember',
        entityId: id,
        before: auditSnapshot(current, AUDIT_OMIT),
        after: null,
      });
      return { ...current, customRole: null };
    });
  }

  /**
   * Shares the Customers module of each listed store (the caller needs ACCESS_MANAGE in every one)
   * with `userId`: an active grant there is replaced, the old one kept as revoked history.
   */
  async grant(input: GrantAccessInput): Promise<AccessGrantRow[]> {
    const data = parseInput(grantAccessSchema, input, 'input');
    return this.inEachStore(data.storeIds, async (tx, storeId) => {
      const [previous] = await this.revokeIn(tx, storeId, data.userId);
      const [row] = await tx
        .insert(accessGrants)
        .values({ storeId, userId: data.userId, actions: data.actions, grantedBy: this.ctx.principal.userId })
        .returning();
      await this.audit(
        tx,
        {
          action: 'access.grant',
          entityType: 'AccessGrant',
          entityId: row!.id,
          before: previous ? { actions: previous.actions } : null,
          after: { userId: data.userId, actions: data.actions },
        },
        storeId,
      );
      return [row!];
    });
  }

  /** Ends the user's shared access to each listed store; a store without one is left as it is. */
  async revoke(input: RevokeAccessInput): Promise<AccessGrantRow[]> {
    const data = parseInput(revokeAccessSchema, input, 'input');
    return this.inEachStore(data.storeIds, async (tx, storeId) => {
      const revoked = await this.revokeIn(tx, storeId, data.userId);
      for (const row of revoked) {
        await this.audit(
          tx,
          {
            action: 'access.revoke',
            entityType: 'AccessGrant',
            entityId: row.id,
            before: { userId: row.userId, actions: row.actions },
            after: null,
          },
          storeId,
        );
      }
      return revoked;
    });
  }

  /**
   * `work` in each listed store's scope, all in one transaction, once the caller is known to hold
   * ACCESS_MANAGE in every one; the grants it returns, store by store.
   */
  private async inEachStore(
    storeIds: string[],
    work: (tx: Tx, storeId: string) => Promise<AccessGrantRow[]>,
  ): Promise<AccessGrantRow[]> {
    await this.requireManager(storeIds);
    return this.db.transaction(async (tx) => {
      const rows: AccessGrantRow[] = [];
      for (const storeId of storeIds) rows.push(...(await this.inStore(tx, storeId, () => work(tx, storeId))));
      return rows;
    });
  }

  private revokeIn(tx: Tx, storeId: string, userId: string): Promise<AccessGrantRow[]> {
    return tx
      .update(accessGrants)
      .set({ revokedAt: new Date(), revokedBy: this.ctx.principal.userId })
      .where(and(eq(accessGrants.storeId, storeId), eq(accessGrants.userId, userId), isNull(accessGrants.revokedAt)))
      .returning();
  }

  /**
   * The store of this request was checked by the access assertion; the caller's access in each
   * other one is looked up in that store's scope.
   */
  private async requireManager(storeIds: string[]): Promise<void> {
    for (const storeId of storeIds) {
      const actions =
        storeId === this.ctx.storeId
          ? this.ctx.access?.actions
          : await this.inStore(
              this.db,
              storeId,
              async () => (await findAccess(this.db, this.ctx.principal, [storeId])).get(storeId)?.access.actions,
            );
      if (!actions?.includes(StaffAction.ACCESS_MANAGE))
        throw forbidden(`You cannot manage access to store ${storeId}`);
    }
  }

  /** Row-level security holds each statement to one store: a grant elsewhere switches the scope there. */
  private inStore<T>(db: CustomerDb | Tx, storeId: string, work: () => Promise<T>): Promise<T> {
    return storeId === this.ctx.storeId ? work() : inStoreScope(db as CustomerDb, storeId, this.ctx.storeId, work);
  }

  private async lockMember(tx: Tx, userId: string): Promise<StaffMemberRow | undefined> {
    // Changes to a store's staff queue on the store row, so that two owners demoting each other
    // at once cannot leave it without one.
    await tx.select({ id: stores.id }).from(stores).where(eq(stores.id, this.ctx.storeId)).for('no key update');
    const [row] = await tx
      .select()
      .from(staffMembers)
      .where(and(eq(staffMembers.storeId, this.ctx.storeId), eq(staffMembers.userId, userId)));
    return row;
  }

  private async keepAnOwner(tx: Tx, leaving: string): Promise<void> {
    const [row] = await tx
      .select({ owners: count() })
      .from(staffMembers)
      .where(
        and(
          eq(staffMembers.storeId, this.ctx.storeId),
          eq(staffMembers.role, MemberRole.OWNER),
          sql`${staffMembers.userId} <> ${leaving}`,
        ),
      );
    if (!row?.owners) throw conflict('A store keeps at least one owner');
  }

  private async role(id: string): Promise<StaffRoleRow | null> {
    const [row] = await this.db
      .select()
      .from(staffRoles)
      .where(and(eq(staffRoles.storeId, this.ctx.storeId), eq(staffRoles.id, id)));
    return row ?? null;
  }

  private audit(tx: Tx, change: AuditChange, storeId = this.ctx.storeId) {
    return audit.record(tx, { ...this.ctx, storeId }, change);
  }
}
