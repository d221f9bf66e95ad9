import { and, eq, isNull, ne } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import { isUniqueViolation, type Tx } from '@cg/db';
import { recordEvents } from '@cg/events';
import { ErrorCode } from '@cg/http';
import { conflict, notFound, requireId, type BaseContext } from '@cg/subgraph';
import { customers, outbox, stores, type CustomerRow } from '../db/schema/index.ts';
import { audit } from '../audit-trail.ts';
import type { CustomerDb } from '../context.ts';
import { writeTimeline } from '../timeline/timeline.service.ts';
import { lockContact } from '../guests/guest.service.ts';
import { ERASED_CUSTOMER } from '../customers/customer.service.ts';

export const ALREADY_DELETED = 'Customer is already deleted';
export const NOT_DELETED = 'Customer is not deleted';
export const RETENTION_PASSED = 'The retention window has passed: the customer can no longer be restored';

const DAY_MS = 86_400_000;

/**
 * C5, soft delete: `deleteCustomer` takes a profile out of the store's lists, searches, segments
 * and counts and frees its email and phone (the unique indexes cover live profiles only), for the
 * store's retention days (`stores.deleted_customer_retention_days`, 30 by default);
 * `restoreCustomer` brings it back within them, and the retention task (deletion.schedule.ts)
 * erases it after them. The other subgraphs learn both through `customer.deleted` and
 * `customer.restored`: their directories then refuse orders for the customer, and only those.
 */
export class DeletionService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  /** CONFLICT for a profile already deleted or erased: deleting twice deletes (and audits) once. */
  async delete(id: string): Promise<CustomerRow> {
    requireId(id);
    const { storeId } = this.ctx;
    return this.db.transaction(async (tx) => {
      const current = await lockProfile(tx, storeId, id);
      if (current.erasedAt) throw conflict(ERASED_CUSTOMER);
      if (current.deletedAt) throw conflict(ALREADY_DELETED);
      const [store] = await tx
        .select({ days: stores.deletedCustomerRetentionDays })
        .from(stores)
        .where(eq(stores.id, storeId));
      const deletedAt = new Date();
      const restorableUntil = new Date(deletedAt.getTime() + store!.days * DAY_MS);
      const [row] = await tx
        .update(customers)
        .set({ deletedAt, restorableUntil, updatedAt: deletedAt })
        .where(and(eq(customers.storeId, storeId), eq(customers.id, id)))
        .returning();
      const window = { deletedAt: deletedAt.toISOString(), restorableUntil: restorableUntil.toISOString() };
      await writeTimeline(tx, [
        {
          storeId,
          customerId: id,
          kind: 'status_changed',
          summary: `Deleted; restorable until ${window.restorableUntil.slice(0, 10)}`,
          data: window,
          actor: this.ctx.principal.userId,
          orderId: null,
        },
      ]);
      await recordEvents(tx, outbox, [
        { type: 'customer.deleted', storeId, customerId: id, payload: window },
        audit.event(this.ctx, {
          action: 'customer.delete',
          entityType: 'Customer',
          entityId: id,
          customerId: id,
          before: { deletedAt: null, restorableUntil: null },
          after: window,
        }),
      ]);
      return row!;
    });
  }

  /**
   * Back among the live profiles with what it had. CONFLICT when it is not deleted, erased, past
   * its window, or when another live profile has registered its email or phone meanwhile (then
   * `fields` names which): the database's unique indexes decide a restore and a registration
   * that cross.
   */
  async restore(id: string): Promise<CustomerRow> {
    requireId(id);
    const { storeId } = this.ctx;
    try {
      return await this.db.transaction(async (tx) => {
        const current = await lockProfile(tx, storeId, id);
        if (current.erasedAt) throw conflict(ERASED_CUSTOMER);
        if (!current.deletedAt) throw conflict(NOT_DELETED);
        if (!current.restorableUntil || current.restorableUntil <= new Date()) throw conflict(RETENTION_PASSED);
        // The registrations' lock on the same contact (customer.service.ts): one of the two waits.
        await lockContact(tx, storeId, current.email, current.phone);
        const taken = await contactTaken(tx, current);
        if (taken) throw contactConflict(taken);
        const restoredAt = new Date();
        const [row] = await tx
          .update(customers)
          .set({ deletedAt: null, restorableUntil: null, updatedAt: restoredAt })
          .where(and(eq(customers.storeId, storeId), eq(customers.id, id)))
          .returning();
        await writeTimeline(tx, [
          {
            storeId,
            customerId: id,
            kind: 'status_changed',
            summary: 'Restored',
            data: { deletedAt: current.deletedAt.toISOString() },
            actor: this.ctx.principal.userId,
            orderId: null,
          },
        ]);
        await recordEvents(tx, outbox, [
          { type: 'customer.restored', storeId, customerId: id, payload: { status: row!.status } },
          audit.event(this.ctx, {
            action: 'customer.restore',
            entityType: 'Customer',
            entityId: id,
            customerId: id,
            before: {
              deletedAt: current.deletedAt.toISOString(),
              restorableUntil: current.restorableUntil.toISOString(),
            },
            after: { deletedAt: null, restorableUntil: null },
          }),
        ]);
        return row!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'customers_store_email_key')) throw contactConflict('email');
      if (isUniqueViolation(error, 'customers_store_phone_key')) throw contactConflict('phone');
      throw error;
    }
  }
}

async function lockProfile(tx: Tx, storeId: string, id: string): Promise<CustomerRow> {
  const [current] = await tx
    .select()
    .from(customers)
    .where(and(eq(customers.storeId, storeId), eq(customers.id, id)))
    .for('update');
  if (!current) throw notFound('Customer', id);
  return current;
}

/** Which of the deleted profile's contacts a live profile of the store has now, if any. */
async function contactTaken(tx: Tx, profile: CustomerRow): Promise<'email' | 'phone' | null> {
  const live = (condition: ReturnType<typeof eq>) =>
    tx
      .select({ id: customers.id })
      .from(customers)
      .where(
        and(
          eq(customers.storeId, profile.storeId),
          isNull(customers.deletedAt),
          ne(customers.id, profile.id),
          condition,
        ),
      )
      .limit(1);
  if (profile.email && (await live(eq(customers.emailKey, profile.email.toLowerCase()))).length) return 'email';
  if (profile.phone && (await live(eq(customers.phone, profile.phone))).length) return 'phone';
  return null;
}

function contactConflict(field: 'email' | 'phone'): GraphQLError {
  return new GraphQLError(`Another customer has registered this ${field} since the deletion`, {
    extensions: { code: ErrorCode.CONFLICT, fields: [{ field, message: 'is used by another customer' }] },
  });
}
