import { sql } from 'drizzle-orm';
import { check, index, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, pgEnumValues, updatedAt } from '@cg/db';
import { customerSchema } from './base.ts';
import { stores } from './stores.ts';
import { BlacklistReason } from '../../blacklist/blacklist.enum.ts';

export const blacklistReason = customerSchema.enum('blacklist_reason', pgEnumValues(BlacklistReason));

/**
 * C14: a store's blacklisted contacts, a phone (E.164) and/or an email (trimmed, lower-cased).
 * An entry is about a contact, not a profile: it names no customer, and erasing a customer
 * leaves it as it is. Commerce-history learns of it through `blacklist.changed`, as keyed hashes.
 */
export const blacklistEntries = customerSchema.table(
  'blacklist_entries',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    phone: text('phone'),
    email: text('email'),
    reason: blacklistReason('reason').notNull(),
    note: text('note'),
    /** Staff user ids from the access token. */
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedBy: text('updated_by').notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'blacklist_entries_pkey', columns: [t.storeId, t.id] }),
    // One entry per contact and store; the database decides races between two staff adding it.
    uniqueIndex('blacklist_entries_store_phone_key')
      .on(t.storeId, t.phone)
      .where(sql`${t.phone} is not null`),
    uniqueIndex('blacklist_entries_store_email_key')
      .on(t.storeId, t.email)
      .where(sql`${t.email} is not null`),
    // The list pages newest first; search by phone or email prefix uses these.
    index('blacklist_entries_store_created_idx').on(t.storeId, t.createdAt, t.id),
    index('blacklist_entries_store_phone_prefix_idx').on(t.storeId, t.phone.op('text_pattern_ops')),
    index('blacklist_entries_store_email_prefix_idx').on(t.storeId, t.email.op('text_pattern_ops')),
    check('blacklist_entries_contact_check', sql`${t.phone} is not null or ${t.email} is not null`),
    check('blacklist_entries_email_check', sql`${t.email} = lower(btrim(${t.email}))`),
  ],
);

export type BlacklistEntryRow = typeof blacklistEntries.$inferSelect;
