import { and, eq, isNotNull } from 'drizzle-orm';
import { scrubEventPayload, type EventHandlers } from '@cg/events';
import { auditEntries, customers } from '../db/schema/index.ts';

/**
 * X5: every subgraph records `audit.recorded` in the transaction of its mutation (this one too,
 * through its own outbox); the entry takes the event's id, so a redelivery or a replay of the
 * outboxes writes it once.
 */
export const auditHandlers: EventHandlers = {
  'audit.recorded': async (tx, event) => {
    const erased = event.customerId
      ? await tx
          .select({ id: customers.id })
          .from(customers)
          .where(
            and(
              eq(customers.storeId, event.storeId),
              eq(customers.id, event.customerId),
              isNotNull(customers.erasedAt),
            ),
          )
      : [];
    // C19: an entry about an erased customer that was still on its way arrives already scrubbed.
    const entry = erased.length
      ? (scrubEventPayload(event.type, event.payload, event.customerId!) as typeof event.payload)
      : event.payload;
    await tx
      .insert(auditEntries)
      .values({
        id: event.id,
        storeId: event.storeId,
        customerId: event.customerId,
        actorKind: entry.actorKind,
        actorId: entry.actorId,
        ip: entry.ip,
        action: entry.action,
        subgraph: entry.subgraph,
        entityType: entry.entityType,
        entityId: entry.entityId,
        before: entry.before,
        after: entry.after,
        occurredAt: new Date(entry.occurredAt),
      })
      .onConflictDoNothing();
  },
};
