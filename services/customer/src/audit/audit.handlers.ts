import type { EventHandlers } from '@cg/events';
import { auditEntries } from '../db/schema.ts';

/**
 * X5: every subgraph records `audit.recorded` in the transaction of its mutation (this one too,
 * through its own outbox); the entry takes the event's id, so a redelivery or a replay of the
 * outboxes writes it once.
 */
export const auditHandlers: EventHandlers = {
  'audit.recorded': async (tx, event) => {
    const entry = event.payload;
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
