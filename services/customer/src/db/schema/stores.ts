import { char, check, date, integer, text, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { createdAt } from '@cg/db';
import { customerSchema } from './base.ts';

/** Tenants (T1): a vendor, seller account or shop. Every other row belongs to one. */
export const stores = customerSchema.table('stores', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  /**
   * T1: the IANA zone the store's days are counted in (birthdays, dashboards). Checked by the
   * service (stores/store.inputs.ts), announced to other subgraphs as `store.settings_changed`.
   */
  timeZone: text('time_zone').notNull().default('UTC'),
  /**
   * E3: the last local date (in `time_zone`) whose birthdays were announced; the hourly task
   * announces each later date once, in the transaction that moves this on. Null: none yet.
   */
  birthdaysAnnouncedOn: date('birthdays_announced_on', { mode: 'string' }),
  /**
   * C5: how many days a deleted customer can be restored; afterwards the retention task erases
   * the profile as `eraseCustomer` does. Set with `updateStore`.
   */
  deletedCustomerRetentionDays: integer('deleted_customer_retention_days').notNull().default(30),
  createdAt: createdAt(),
}, (t) => [
  check('stores_deleted_customer_retention_days_check', sql`${t.deletedCustomerRetentionDays} between 1 and 365`),
]);

export type StoreRow = typeof stores.$inferSelect;
