import { char, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt } from '@cg/db';
import { customerSchema } from './base.ts';

/** Tenants (T1): a vendor, seller account or shop. Every other row belongs to one. */
export const stores = customerSchema.table('stores', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  createdAt: createdAt(),
});

export type StoreRow = typeof stores.$inferSelect;
