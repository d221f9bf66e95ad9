import { and, asc, eq, isNotNull, isNull, lte } from 'drizzle-orm';
import type { ScheduledTask } from '@cg/events';
import type { CustomerDb } from '../context.ts';
import { customers, stores, type tables } from '../db/schema/index.ts';
import { eraseProfile } from '../erasure/erasure.service.ts';

/**
 * Who the audit log names for an erasure the retention task made: no staff user asked for it,
 * the deletion they made did (its own entry names them).
 */
export const RETENTION_ACTOR = 'system:deleted-customer-retention';

/** Profiles erased per statement that finds them: a store's backlog goes in parts. */
const BATCH = 100;

/**
 * C5: erases, as `eraseCustomer` does, every deleted profile whose restore window had ended by
 * `at`. Each in its own transaction with the row locked and read again, so a profile restored
 * meanwhile stays, and one erased meanwhile (or by another run of the task) is left as it is: the
 * task may run as often, and in as many processes, as it likes. Returns how many it erased.
 */
export async function eraseExpiredDeletions(db: CustomerDb, at: Date): Promise<number> {
  let erased = 0;
  const storeRows = await db.select({ id: stores.id }).from(stores);
  for (const store of storeRows) {
    for (;;) {
      // On customers_store_deleted_idx (store_id, restorable_until, id) where deleted_at is not null.
      const due = await db
        .select({ id: customers.id })
        .from(customers)
        .where(
          and(
            eq(customers.storeId, store.id),
            isNotNull(customers.deletedAt),
            lte(customers.restorableUntil, at),
            isNull(customers.erasedAt),
          ),
        )
        .orderBy(asc(customers.restorableUntil), asc(customers.id))
        .limit(BATCH);
      let done = 0;
      for (const { id } of due) if (await eraseIfDue(db, store.id, id, at)) done += 1;
      erased += done;
      // A full batch of which some were left (restored or erased meanwhile) would come back as is.
      if (due.length < BATCH || done === 0) break;
    }
  }
  return erased;
}

async function eraseIfDue(db: CustomerDb, storeId: string, id: string, at: Date): Promise<boolean> {
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(customers)
      .where(and(eq(customers.storeId, storeId), eq(customers.id, id)))
      .for('update');
    if (!current?.deletedAt || current.erasedAt || !current.restorableUntil || current.restorableUntil > at) {
      return false;
    }
    await eraseProfile(tx, { principal: { kind: 'staff', userId: RETENTION_ACTOR, storeId }, storeId }, current);
    return true;
  });
}

/** Hourly: a deleted profile is erased within the hour after its window ends. */
export const deletionSchedule: ScheduledTask<typeof tables>[] = [
  {
    name: 'customer:deleted-customer-erasure',
    pattern: '20 * * * *',
    catchUpHours: 24,
    run: async (db, at) => {
      await eraseExpiredDeletions(db.orm, at);
    },
  },
];
