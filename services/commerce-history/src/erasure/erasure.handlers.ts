import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { scrubOutbox, type EventHandlers } from '@cg/events';
import { erasePersonalData } from '@cg/subgraph';
import { orders, outbox } from '../db/schema.ts';
import { personalData } from '../personal-data/personal-data.registry.ts';

/**
 * C19 in commerce-history: the registry (personal-data/personal-data.registry.ts) says what goes
 * from each table; this adds the events, whose personal keys go too. Running it again finds
 * nothing left to change.
 */
export const erasureHandlers: EventHandlers = {
  'customer.erased': async (tx, event) => {
    const { storeId } = event;
    const customerId = event.customerId;
    if (!customerId) return;
    await erasePersonalData(tx, personalData, storeId, customerId);
    const owned = await tx
      .select({ id: orders.id })
      .from(orders)
      .where(and(eq(orders.storeId, storeId), eq(orders.customerId, customerId)));
    const orderIds = owned.map((order) => order.id);
    // A linked order's events from its guest days (the order's and its audit entries) carry no
    // customer id, only the order's.
    await scrubOutbox(
      tx,
      outbox,
      customerId,
      and(
        eq(outbox.storeId, storeId),
        orderIds.length
          ? or(
              eq(outbox.customerId, customerId),
              inArray(sql<string>`${outbox.payload} ->> 'orderId'`, orderIds),
              inArray(sql<string>`${outbox.payload} ->> 'entityId'`, orderIds),
            )
          : eq(outbox.customerId, customerId),
      )!,
    );
  },
};
