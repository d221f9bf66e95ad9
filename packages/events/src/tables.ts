import { sql } from 'drizzle-orm';
import { bigserial, index, jsonb, primaryKey, text, timestamp, unique, uuid, type PgSchema } from 'drizzle-orm/pg-core';

/**
 * The producer's outbox, declared in its own schema: written in the transaction of the change,
 * kept after delivery as the log that consumers' projections are rebuilt from.
 */
export function outboxTable(schema: PgSchema) {
  return schema.table(
    'outbox',
    {
      seq: bigserial('seq', { mode: 'number' }).notNull(),
      id: uuid('id').notNull().defaultRandom(),
      type: text('type').notNull(),
      storeId: uuid('store_id').notNull(),
      customerId: uuid('customer_id'),
      payload: jsonb('payload').notNull(),
      occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
      publishedAt: timestamp('published_at', { withTimezone: true, precision: 3 }),
    },
    (t) => [
      // Keyed by store first, as every table is, so that it can be sharded with the store's rows it
      // changes in the same transaction. seq is still one sequence per producer: delivery and replay
      // read the outbox in seq order across stores.
      primaryKey({ name: 'outbox_pkey', columns: [t.storeId, t.seq] }),
      unique('outbox_store_id_key').on(t.storeId, t.id),
      index('outbox_seq_idx').on(t.seq),
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
