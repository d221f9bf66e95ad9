import { and, eq } from 'drizzle-orm';
import { scrubOutbox, type EventHandlers } from '@cg/events';
import { outbox, permissionRecords, permissionStates } from '../db/schema.ts';

/**
 * C19 against P2: permission records are the store's proof of what the customer consented to,
 * which it must be able to show even after erasure (GDPR art. 7(1)), so they stay, under the
 * customer's id; they name no one but that id. The IP address they were given from is the one
 * personal datum they hold, and the only change the append-only trigger lets erasure make
 * (migration 0003).
 */
export const erasureHandlers: EventHandlers = {
  'customer.erased': async (tx, event) => {
    const customerId = event.customerId;
    if (!customerId) return;
    const where = <T extends typeof permissionRecords | typeof permissionStates>(table: T) =>
      and(eq(table.storeId, event.storeId), eq(table.customerId, customerId));
    await tx.update(permissionStates).set({ ip: null }).where(where(permissionStates));
    await tx.update(permissionRecords).set({ ip: null }).where(where(permissionRecords));
    await scrubOutbox(
      tx,
      outbox,
      customerId,
      and(eq(outbox.storeId, event.storeId), eq(outbox.customerId, customerId))!,
    );
  },
};
