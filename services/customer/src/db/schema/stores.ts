import { char, date, text, uuid } from 'drizzle-orm/pg-core';
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
  createdAt: createdAt(),
});

export type StoreRow = typeof stores.$inferSelect;
