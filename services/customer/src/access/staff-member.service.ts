import { and, count, eq, sql } from 'drizzle-orm';
import { isForeignKeyViolation, type Tx } from '@cg/db';
import { auditChanges, auditSnapshot } from '@cg/events';
import {
  conflict,
  notFound,
  parseInput,
  type BaseContext,
  type ConnectionResult,
  keysetSort,
  rootConnection,
} from '@cg/subgraph';
import { staffMembers, staffRoles, stores, type StaffMemberRow, type StaffRoleRow } from '../db/schema/index.ts';
import { AUDIT_BOOKKEEPING, audit } from '../audit-trail.ts';
import type { CustomerDb } from '../context.ts';
import { notifyAccessChanged } from './access-changed.notify.ts';
import { MemberRole } from './access.type.ts';
import { revokeAccessSchema, setStaffMemberSchema, type SetStaffMemberInput } from './access.inputs.ts';

/** A store's first owner, when the store is created (platform administration, demo data, tests). */
export async function addOwner(db: CustomerDb, storeId: string, userId: string): Promise<void> {
  const added = await db
    .insert(staffMembers)
    .values({ storeId, userId, role: MemberRole.OWNER })
    .onConflictDoNothing()
    .returning({ userId: staffMembers.userId });
  if (added.length) await notifyAccessChanged(db, storeId, userId);
}

type ListedMember = StaffMemberRow & { customRole: StaffRoleRow | null };
const memberSort = keysetSort<ListedMember>('staff-member:user', 'asc', [
  [staffMembers.userId, 'text', (row) => row.userId],
]);

/** T6: the store's staff users and their roles; a store always keeps an owner. */
export class StaffMemberService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

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
        await notifyAccessChanged(tx, this.ctx.storeId, data.userId);
        const change = current
          ? auditChanges(current, row!, [...AUDIT_BOOKKEEPING, 'updatedBy'])
          : { before: null, after: auditSnapshot(row!, AUDIT_BOOKKEEPING) };
        await audit.record(tx, this.ctx, {
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
      await notifyAccessChanged(tx, this.ctx.storeId, id);
      await audit.record(tx, this.ctx, {
        action: 'staffMember.remove',
        entityType: 'StaffMember',
        entityId: id,
        before: auditSnapshot(current, AUDIT_BOOKKEEPING),
        after: null,
      });
      return { ...current, customRole: null };
    });
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
}
