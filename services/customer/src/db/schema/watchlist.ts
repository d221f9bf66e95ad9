import { foreignKey, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from '@cg/db';
import { customerSchema } from './base.ts';
import { customers } from './customers.ts';

/** C9: the store's watchlist, shared by its staff; one row per watched customer. */
export const watchlist = customerSchema.table(
  'watchlist',
  {
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    /** Staff user id from the access token. */
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'watchlist_pkey', columns: [t.storeId, t.customerId] }),
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'watchlist_customer_fk',
    }).onDelete('cascade'),
  ],
);
