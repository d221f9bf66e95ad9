import { sql } from 'drizzle-orm';
import { char, primaryKey, text, uuid, type PgSchema } from 'drizzle-orm/pg-core';
import { timestamptz, updatedAt } from '@cg/db';
import type { EventHandlers } from './delivery.ts';

/**
 * A subgraph's copy of the customer subgraph's directory: which customers each store has, their
 * status, whether they were erased, and the store's currency. Fed by `customer.registered`,
 * `customer.status_changed`, `customer.deleted`, `customer.restored` and `customer.erased`
 * (`directoryHandlers` below), rebuildable by
 * replaying the customer subgraph's outbox, and filled on a miss by asking the customer subgraph
 * (@cg/subgraph's directory/directory.service.ts). The key starts with the store, as every key does.
 */
export function customerDirectoryTable(schema: PgSchema) {
  return schema.table(
    'customer_directory',
    {
      storeId: uuid('store_id').notNull(),
      customerId: uuid('customer_id').notNull(),
      /**
       * The customer subgraph's `customer_status` value (active, inactive or blocked), or
       * `deleted` (DIRECTORY_DELETED) while the profile is soft-deleted (C5).
       */
      status: text('status').notNull(),
      /** ISO 4217 code of the store's currency; null only from events recorded before it was carried. */
      currency: char('currency', { length: 3 }),
      /** C19: erasure is final, so once set it is never cleared. */
      erasedAt: timestamptz('erased_at'),
      updatedAt: updatedAt(),
    },
    (t) => [primaryKey({ name: 'customer_directory_pkey', columns: [t.storeId, t.customerId] })],
  );
}

export type CustomerDirectoryTable = ReturnType<typeof customerDirectoryTable>;

/**
 * C5: a directory's status for a soft-deleted customer, in place of their `customer_status` (which
 * `customer.restored` brings back). No status change reaches a deleted profile: the customer
 * subgraph refuses edits to it until it is restored.
 */
export const DIRECTORY_DELETED = 'deleted';

/**
 * Keeps a subgraph's customer directory from the customer subgraph's events, which arrive in
 * outbox order for each customer. A row may already be there when `customer.registered` arrives:
 * a write that missed it asked the customer subgraph meanwhile (@cg/subgraph's
 * directory/directory.service.ts), and that answer is at least as recent as the registration, so
 * the event leaves it. Every later event
 * sets what it says, so once a customer's events are all applied the row is the customer's
 * current state, whatever lookups wrote in between; replaying the outbox into an empty table
 * gives the same rows.
 */
export function directoryHandlers(directory: CustomerDirectoryTable): EventHandlers {
  const key = [directory.storeId, directory.customerId];
  return {
    'customer.registered': async (tx, event) => {
      if (!event.customerId) return;
      await tx
        .insert(directory)
        .values({
          storeId: event.storeId,
          customerId: event.customerId,
          // Absent in events recorded before the directory: profiles were created active then.
          status: event.payload.status ?? 'active',
          currency: event.payload.currency ?? null,
        })
        .onConflictDoNothing();
    },
    'customer.status_changed': async (tx, event) => {
      if (!event.customerId) return;
      await tx
        .insert(directory)
        .values({ storeId: event.storeId, customerId: event.customerId, status: event.payload.to })
        .onConflictDoUpdate({ target: key, set: { status: event.payload.to, updatedAt: sql`now()` } });
    },
    'customer.deleted': async (tx, event) => {
      if (!event.customerId) return;
      await tx
        .insert(directory)
        .values({ storeId: event.storeId, customerId: event.customerId, status: DIRECTORY_DELETED })
        .onConflictDoUpdate({ target: key, set: { status: DIRECTORY_DELETED, updatedAt: sql`now()` } });
    },
    'customer.restored': async (tx, event) => {
      if (!event.customerId) return;
      await tx
        .insert(directory)
        .values({ storeId: event.storeId, customerId: event.customerId, status: event.payload.status })
        .onConflictDoUpdate({ target: key, set: { status: event.payload.status, updatedAt: sql`now()` } });
    },
    'customer.erased': async (tx, event) => {
      if (!event.customerId) return;
      const erasedAt = new Date(event.payload.erasedAt);
      await tx
        .insert(directory)
        .values({ storeId: event.storeId, customerId: event.customerId, status: 'blocked', erasedAt })
        .onConflictDoUpdate({ target: key, set: { status: 'blocked', erasedAt, updatedAt: sql`now()` } });
    },
    // C20 (merging duplicates) will add `customer.merged` here: the merged profile's row then
    // names its survivor, and writes naming the merged id go to the survivor.
  };
}
