import { and, eq } from 'drizzle-orm';
import { scrubOutbox, type EventHandlers } from '@cg/events';
import { erasePersonalData } from '@cg/subgraph';
import { outbox } from '../db/schema.ts';
import { personalData } from '../personal-data/personal-data.registry.ts';

/** C19 in consent: what the registry says of each table, and the events' personal keys. */
export const erasureHandlers: EventHandlers = {
  'customer.erased': async (tx, event) => {
    const customerId = event.customerId;
    if (!customerId) return;
    await erasePersonalData(tx, personalData, event.storeId, customerId);
    await scrubOutbox(
      tx,
      outbox,
      customerId,
      and(eq(outbox.storeId, event.storeId), eq(outbox.customerId, customerId))!,
    );
  },
};
