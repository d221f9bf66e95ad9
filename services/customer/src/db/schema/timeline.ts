import { foreignKey, index, jsonb, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { customerSchema } from './base.ts';
import { customers } from './customers.ts';
import { TimelineEntryKind } from '../../timeline/timeline.enum.ts';
import { pgEnumValues, timestamptz } from '@cg/db';

export const timelineKind = customerSchema.enum('timeline_kind', pgEnumValues(TimelineEntryKind));

/** C15: what happened to a customer, newest first; written with the action or from events. */
export const timelineEntries = customerSchema.table(
  'timeline_entries',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    kind: timelineKind('kind').notNull(),
    summary: text('summary').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    orderId: uuid('order_id'),
    actor: text('actor'),
    occurredAt: timestamptz('occurred_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'timeline_entries_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'timeline_entries_customer_fk',
    }).onDelete('cascade'),
    index('timeline_entries_customer_idx').on(t.customerId, t.occurredAt, t.id),
  ],
);

export type TimelineEntryRow = typeof timelineEntries.$inferSelect;
