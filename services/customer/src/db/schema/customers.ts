import { sql } from 'drizzle-orm';
import { boolean, char, date, index, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { customerSchema } from './base.ts';
import { gender, identities } from './identities.ts';
import { stores } from './stores.ts';
import { CustomerStatus } from '../../customers/customer.enum.ts';
import { createdAt, pgEnumValues, timestamptz, updatedAt } from '@cg/db';

export const customerStatus = customerSchema.enum('customer_status', pgEnumValues(CustomerStatus));

/** A store's customer profile (C2). */
export const customers = customerSchema.table(
  'customers',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    identityId: uuid('identity_id').references(() => identities.id),
    firstName: text('first_name').notNull(),
    lastName: text('last_name').notNull(),
    email: text('email'),
    phone: text('phone'),
    gender: gender('gender'),
    birthDate: date('birth_date', { mode: 'string' }),
    /**
     * When `birth_date` was last set or changed (a trigger keeps it): a birthday within 30 days of
     * that waits until the next year, so that a date set on the day earns no bonus (E3).
     */
    birthDateSetAt: timestamptz('birth_date_set_at'),
    country: char('country', { length: 2 }),
    language: text('language'),
    status: customerStatus('status').notNull().default('active'),
    notes: text('notes'),
    tags: text('tags')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    isBusiness: boolean('is_business').notNull().default(false),
    companyName: text('company_name'),
    taxOffice: text('tax_office'),
    taxNumber: text('tax_number'),
    vipMemberNumber: text('vip_member_number'),
    vipVerificationCode: text('vip_verification_code'),
    /** Sort and prefix-search key of the full name. */
    nameKey: text('name_key')
      .notNull()
      .generatedAlwaysAs(sql`lower(first_name || ' ' || last_name)`),
    /**
     * Prefix-search keys. Columns rather than lower() in the index: under row-level security only
     * leakproof conditions can be index conditions, and lower() is not leakproof.
     */
    lastNameKey: text('last_name_key')
      .notNull()
      .generatedAlwaysAs(sql`lower(last_name)`),
    emailKey: text('email_key').generatedAlwaysAs(sql`lower(email)`),
    /**
     * C19: when the profile's personal data was erased. The row stays, blocked and anonymised,
     * so that the orders, payments and ledgers other subgraphs keep still name a customer.
     */
    erasedAt: timestamptz('erased_at'),
    /**
     * C5: when staff deleted the profile (soft delete). A deleted profile is out of every list,
     * search, segment and count, and its email and phone are free for a new registration; it can be
     * restored until `restorable_until`, after which the retention task erases it (C19) and the
     * columns stay as the record of the deletion. Null: a live profile.
     */
    deletedAt: timestamptz('deleted_at'),
    /**
     * C5: `deleted_at` plus the store's retention days as they were at the deletion, so that a later
     * change of the setting moves no promise already made. Null when not deleted.
     */
    restorableUntil: timestamptz('restorable_until'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // T4: one email and one phone per store among live profiles, case-insensitive email; the
    // database decides races. A deleted profile (C5) keeps its contact for a restore but frees it.
    uniqueIndex('customers_store_email_key')
      .on(t.storeId, sql`lower(${t.email})`)
      .where(sql`${t.email} is not null and ${t.deletedAt} is null`),
    uniqueIndex('customers_store_phone_key')
      .on(t.storeId, t.phone)
      .where(sql`${t.phone} is not null and ${t.deletedAt} is null`),
    // C5: the store's deleted profiles, by when they may be restored until: the "deleted" filter
    // of the list and the retention task's due erasures.
    index('customers_store_deleted_idx')
      .on(t.storeId, t.restorableUntil, t.id)
      .where(sql`${t.deletedAt} is not null`),
    primaryKey({ name: 'customers_pkey', columns: [t.storeId, t.id] }),
    index('customers_store_created_idx').on(t.storeId, t.createdAt, t.id),
    index('customers_store_name_idx').on(t.storeId, t.nameKey, t.id),
    index('customers_store_name_prefix_idx').on(t.storeId, t.nameKey.op('text_pattern_ops')),
    index('customers_store_last_name_prefix_idx').on(t.storeId, t.lastNameKey.op('text_pattern_ops')),
    index('customers_store_email_prefix_idx').on(t.storeId, t.emailKey.op('text_pattern_ops')),
    index('customers_store_phone_prefix_idx').on(t.storeId, t.phone.op('text_pattern_ops')),
    index('customers_identity_idx').on(t.identityId),
    index('customers_store_country_idx').on(t.storeId, t.country, t.id),
    index('customers_tags_idx').using('gin', t.tags),
    // Whose birthday a day is, store by store (birthdays/birthday.schedule.ts).
    index('customers_store_birthday_idx')
      .on(t.storeId, sql`extract(month from ${t.birthDate})`, sql`extract(day from ${t.birthDate})`)
      .where(sql`${t.birthDate} is not null`),
  ],
);

export type CustomerRow = typeof customers.$inferSelect;
