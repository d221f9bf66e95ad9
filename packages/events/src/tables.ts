import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, text, timestamp, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * The producer's outbox, declared in its own schema: written in the transaction of the change,
 * kept after delivery as the log that consumers' projections are rebuilt from.
 */
export function outboxTable(schema: PgSchema) {
  return schema.table(
    'outbox',
    {
      seq: bigserial('seq', { mode: 'number' }).primaryKey(),
      id: uuid('id').notNull().unique().defaultRandom(),
      type: text('type').notNull(),
      storeId: uuid('store_id').notNull(),
      customerId: uuid('customer_id'),
      payload: jsonb('payload').notNull(),
      occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
      publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }),
    },
    (t) => [
      index('outbox_unpublished_idx')
        .on(t.seq)
        .where(sql`${t.publishedAt} is null`),
    ],
  );
}

/** The consumer's record of events it has applied: the same event applied twice changes nothing. */
export function appliedEventsTable(schema: PgSchema) {
  return schema.table('applied_events', {
    eventId: uuid('event_id').primaryKey(),
    appliedAt: timestamp('applied_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  });
}

export type OutboxTable = ReturnType<typeof outboxTable>;
export type AppliedEventsTable = ReturnType<typeof appliedEventsTable>;
