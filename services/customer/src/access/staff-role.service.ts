import { and, asc, eq, sql } from 'drizzle-orm';
import { isForeignKeyViolation, isUniqueViolation } from '@cg/db';
import { auditChanges, auditSnapshot } from '@cg/events';
import { conflict, notFound, parseInput, requireId, type BaseContext } from '@cg/subgraph';
import { staffRoles, type StaffRoleRow } from '../db/schema/index.ts';
import { AUDIT_BOOKKEEPING, audit } from '../audit-trail.ts';
import type { CustomerDb } from '../context.ts';
import { notifyAccessChanged } from './access-changed.notify.ts';
import {
  createStaffRoleSchema,
  updateStaffRoleSchema,
  type CreateStaffRoleInput,
  type UpdateStaffRoleInput,
} from './access.inputs.ts';

/** T6: the store's own named action sets, which members hold as a CUSTOM role. */
export class StaffRoleService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  roles(): Promise<StaffRoleRow[]> {
    return this.db
      .select()
      .from(staffRoles)
      .where(eq(staffRoles.storeId, this.ctx.storeId))
      .orderBy(asc(sql`lower(${staffRoles.name})`), asc(staffRoles.id));
  }

  async createRole(input: CreateStaffRoleInput): Promise<StaffRoleRow> {
    const data = parseInput(createStaffRoleSchema, input, 'input');
    try {
      return await this.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(staffRoles)
          .values({ storeId: this.ctx.storeId, ...data })
          .returning();
        await audit.record(tx, this.ctx, {
          action: 'staffRole.create',
          entityType: 'StaffRole',
          entityId: row!.id,
          before: null,
          after: auditSnapshot(row!, AUDIT_BOOKKEEPING),
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
        // Every member holding the role changes at once.
        await notifyAccessChanged(tx, this.ctx.storeId);
        await audit.record(tx, this.ctx, {
          action: 'staffRole.update',
          entityType: 'StaffRole',
          entityId: id,
          ...auditChanges(current, row!, AUDIT_BOOKKEEPING),
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
        await notifyAccessChanged(tx, this.ctx.storeId);
        await audit.record(tx, this.ctx, {
          action: 'staffRole.delete',
          entityType: 'StaffRole',
          entityId: id,
          before: auditSnapshot(row, AUDIT_BOOKKEEPING),
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
}
