import { sql } from 'drizzle-orm';
import { check, foreignKey, index, integer, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { timestamptz } from '@cg/db';
import { customerSchema } from './base.ts';
import { customers } from './customers.ts';
import { stores } from './stores.ts';

/** C13: shoppers who ordered without registering, one per contact (email, else phone) and store. */
export const guests = customerSchema.table(
  'guests',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    firstSeenAt: timestamptz('first_seen_at').notNull(),
    lastSeenAt: timestamptz('last_seen_at').notNull(),
    orderCount: integer('order_count').notNull().default(0),
    convertedCustomerId: uuid('converted_customer_id'),
    convertedAt: timestamptz('converted_at'),
  },
  (t) => [
    primaryKey({ name: 'guests_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.convertedCustomerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'guests_customer_fk',
    }),
    check('guests_contact_check', sql`${t.email} is not null or ${t.phone} is not null`),
    uniqueIndex('guests_store_email_key')
      .on(t.storeId, sql`lower(${t.email})`)
      .where(sql`${t.email} is not null`),
    uniqueIndex('guests_store_phone_key')
      .on(t.storeId, t.phone)
      .where(sql`${t.phone} is not null`),
    index('guests_store_last_seen_idx').on(t.storeId, t.lastSeenAt, t.id),
  ],
);

export type GuestRow = typeof guests.$inferSelect;
