import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgSchema,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { appliedEventsTable, outboxTable } from '@cg/events';
import { STAFF_ACTIONS } from '@cg/auth';
import type { SegmentRulesDocument } from '../segments/segment.rules.ts';

export const customerSchema = pgSchema('customer');

const createdAt = () => timestamp('created_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();
const updatedAt = () => timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow();

export const customerStatus = customerSchema.enum('customer_status', ['active', 'inactive', 'blocked']);
export const gender = customerSchema.enum('gender', ['male', 'female', 'other', 'undisclosed']);
export const addressKind = customerSchema.enum('address_kind', ['delivery', 'corporate_invoice', 'individual_invoice']);

/** Tenants (T1): a vendor, seller account or shop. Every other row belongs to one. */
export const stores = customerSchema.table('stores', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull(),
  currency: char('currency', { length: 3 }).notNull(),
  createdAt: createdAt(),
});

/** The person behind profiles in many stores (T2). */
export const identities = customerSchema.table(
  'identities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    email: text('email'),
    phone: text('phone'),
    firstName: text('first_name'),
    lastName: text('last_name'),
    gender: gender('gender'),
    birthDate: date('birth_date', { mode: 'string' }),
    language: text('language'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex('identities_email_key')
      .on(sql`lower(${t.email})`)
      .where(sql`${t.email} is not null`),
    uniqueIndex('identities_phone_key')
      .on(t.phone)
      .where(sql`${t.phone} is not null`),
  ],
);

/** A store's customer profile (C2). */
export const customers = customerSchema.table(
  'customers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
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
    erasedAt: timestamp('erased_at', { withTimezone: true, precision: 3 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // T4: one email and one phone per store, case-insensitive email; the database decides races.
    uniqueIndex('customers_store_email_key')
      .on(t.storeId, sql`lower(${t.email})`)
      .where(sql`${t.email} is not null`),
    uniqueIndex('customers_store_phone_key')
      .on(t.storeId, t.phone)
      .where(sql`${t.phone} is not null`),
    unique('customers_store_id_key').on(t.storeId, t.id),
    index('customers_store_created_idx').on(t.storeId, t.createdAt, t.id),
    index('customers_store_name_idx').on(t.storeId, t.nameKey, t.id),
    index('customers_store_name_prefix_idx').on(t.storeId, t.nameKey.op('text_pattern_ops')),
    index('customers_store_last_name_prefix_idx').on(t.storeId, t.lastNameKey.op('text_pattern_ops')),
    index('customers_store_email_prefix_idx').on(t.storeId, t.emailKey.op('text_pattern_ops')),
    index('customers_store_phone_prefix_idx').on(t.storeId, t.phone.op('text_pattern_ops')),
    index('customers_identity_idx').on(t.identityId),
    index('customers_store_country_idx').on(t.storeId, t.country, t.id),
    index('customers_tags_idx').using('gin', t.tags),
  ],
);

/** C6: delivery and invoice addresses; at most one default per kind, enforced here. */
export const addresses = customerSchema.table(
  'addresses',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    kind: addressKind('kind').notNull(),
    label: text('label'),
    recipient: text('recipient').notNull(),
    line1: text('line1').notNull(),
    line2: text('line2'),
    city: text('city').notNull(),
    region: text('region'),
    postalCode: text('postal_code'),
    country: char('country', { length: 2 }).notNull(),
    phone: text('phone'),
    isDefault: boolean('is_default').notNull().default(false),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // The store travels with the customer: an address cannot point at another store's customer.
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'addresses_customer_fk',
    }).onDelete('cascade'),
    uniqueIndex('addresses_one_default_key')
      .on(t.customerId, t.kind)
      .where(sql`${t.isDefault}`),
    index('addresses_customer_idx').on(t.customerId, t.createdAt, t.id),
  ],
);

/**
 * The metrics projection: per customer, what other subgraphs' events say about them, kept here so
 * that the customer list can sort and filter by it on an index. One row per customer, created
 * with the profile; `pnpm metrics:rebuild` recomputes it by replaying the producers' outboxes.
 */
export const customerMetrics = customerSchema.table(
  'customer_metrics',
  {
    customerId: uuid('customer_id').primaryKey(),
    storeId: uuid('store_id').notNull(),
    orderCount: integer('order_count').notNull().default(0),
    totalSpent: bigint('total_spent', { mode: 'number' }).notNull().default(0),
    units: integer('units').notNull().default(0),
    /** As commerce-history counts them: the orders' returned units, partial returns included. */
    returnedUnits: integer('returned_units').notNull().default(0),
    /** Orders with negative feedback (O4). */
    negativeFeedback: integer('negative_feedback').notNull().default(0),
    discountReceived: bigint('discount_received', { mode: 'number' }).notNull().default(0),
    promoCodeOrders: integer('promo_code_orders').notNull().default(0),
    firstOrderAt: timestamp('first_order_at', { withTimezone: true, precision: 3 }),
    lastOrderAt: timestamp('last_order_at', { withTimezone: true, precision: 3 }),
    /** Currency of the amounts above: the currency of the customer's first order. */
    currency: char('currency', { length: 3 }),
    walletBalance: bigint('wallet_balance', { mode: 'number' }).notNull().default(0),
    walletCurrency: char('wallet_currency', { length: 3 }),
    /** Sort key of LAST_ORDER_AT: a column, because coalesce() is not leakproof (see lastNameKey). */
    lastOrderKey: timestamp('last_order_key', { withTimezone: true, precision: 3 })
      .notNull()
      .generatedAlwaysAs(sql`coalesce(last_order_at, 'epoch'::timestamptz)`),
    /** Outbox position of the wallet event the balance comes from; older ones are ignored. */
    walletEventSeq: bigint('wallet_event_seq', { mode: 'number' }).notNull().default(0),
    updatedAt: timestamp('updated_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'customer_metrics_customer_fk',
    }).onDelete('cascade'),
    check(
      'customer_metrics_counts_check',
      sql`${t.orderCount} >= 0 and ${t.units} >= 0 and ${t.returnedUnits} >= 0 and ${t.negativeFeedback} >= 0 and ${t.walletBalance} >= 0`,
    ),
    // Keyset sorts of the customer list: (store, key, customer) for every metric it sorts by.
    index('customer_metrics_total_spent_idx').on(t.storeId, t.totalSpent, t.customerId),
    index('customer_metrics_order_count_idx').on(t.storeId, t.orderCount, t.customerId),
    index('customer_metrics_last_order_idx').on(t.storeId, t.lastOrderKey, t.customerId),
    index('customer_metrics_returned_units_idx').on(t.storeId, t.returnedUnits, t.customerId),
    index('customer_metrics_negative_feedback_idx').on(t.storeId, t.negativeFeedback, t.customerId),
    index('customer_metrics_wallet_balance_idx').on(t.storeId, t.walletBalance, t.customerId),
    index('customer_metrics_discount_received_idx').on(t.storeId, t.discountReceived, t.customerId),
  ],
);

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

/**
 * C12: a named, rule-based, dynamic set of a store's customers. `rules` is the JSON document that
 * `segmentRulesSchema` (segments/segment.rules.ts) validates; membership is never stored but
 * computed from the current profile and metrics whenever it is asked for.
 */
export const segments = customerSchema.table(
  'segments',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    name: text('name').notNull(),
    description: text('description'),
    rules: jsonb('rules').$type<SegmentRulesDocument>().notNull(),
    /** Staff user id from the access token. */
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // Names are unique per store, case-insensitively; the list pages by this key.
    uniqueIndex('segments_store_name_key').on(t.storeId, sql`lower(${t.name})`),
    check('segments_rules_check', sql`jsonb_typeof(${t.rules}) = 'array'`),
  ],
);

export const appliedEvents = appliedEventsTable(customerSchema);

/** Domain events of this subgraph: registrations, which link a guest's earlier orders (C1). */
export const outbox = outboxTable(customerSchema);

/** C13: shoppers who ordered without registering, one per contact (email, else phone) and store. */
export const guests = customerSchema.table(
  'guests',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    firstSeenAt: timestamp('first_seen_at', { withTimezone: true, precision: 3 }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true, precision: 3 }).notNull(),
    orderCount: integer('order_count').notNull().default(0),
    convertedCustomerId: uuid('converted_customer_id'),
    convertedAt: timestamp('converted_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
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

export const timelineKind = customerSchema.enum('timeline_kind', [
  'order',
  'order_status',
  'created',
  'edited',
  'status_changed',
  'note',
  'address',
  'balance',
  'consent',
  'return',
  'feedback',
]);

/** C15: what happened to a customer, newest first; written with the action or from events. */
export const timelineEntries = customerSchema.table(
  'timeline_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    kind: timelineKind('kind').notNull(),
    summary: text('summary').notNull(),
    data: jsonb('data').$type<Record<string, unknown>>().notNull(),
    orderId: uuid('order_id'),
    actor: text('actor'),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'timeline_entries_customer_fk',
    }).onDelete('cascade'),
    index('timeline_entries_customer_idx').on(t.customerId, t.occurredAt, t.id),
  ],
);

export const auditActorKind = customerSchema.enum('audit_actor_kind', ['staff', 'customer']);

/**
 * X5: who changed what in any subgraph, before and after, when and from where. Written only by
 * the `audit.recorded` handler, with the event's id as its own, so a replay adds nothing twice.
 * No foreign keys: an entry outlives what it describes.
 */
export const auditEntries = customerSchema.table(
  'audit_entries',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    actorKind: auditActorKind('actor_kind').notNull(),
    actorId: text('actor_id').notNull(),
    ip: text('ip'),
    action: text('action').notNull(),
    subgraph: text('subgraph').notNull(),
    entityType: text('entity_type').notNull(),
    entityId: text('entity_id').notNull(),
    customerId: uuid('customer_id'),
    before: jsonb('before').$type<Record<string, unknown>>(),
    after: jsonb('after').$type<Record<string, unknown>>(),
    occurredAt: timestamp('occurred_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
  },
  (t) => [
    index('audit_entries_store_idx').on(t.storeId, t.occurredAt, t.id),
    index('audit_entries_customer_idx').on(t.storeId, t.customerId, t.occurredAt, t.id),
    index('audit_entries_actor_idx').on(t.storeId, t.actorId, t.occurredAt, t.id),
  ],
);

/** Every action a role or grant may hold; the database refuses anything else. */
const STAFF_ACTIONS_SQL = sql.raw(`array[${STAFF_ACTIONS.map((action) => `'${action}'`).join(',')}]::text[]`);

/** T6: a store's own action sets, assigned to staff members as their role. */
export const staffRoles = customerSchema.table(
  'staff_roles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    name: text('name').notNull(),
    actions: text('actions').array().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    unique('staff_roles_store_id_key').on(t.storeId, t.id),
    uniqueIndex('staff_roles_store_name_key').on(t.storeId, sql`lower(${t.name})`),
    check('staff_roles_actions_check', sql`${t.actions} <@ ${STAFF_ACTIONS_SQL}`),
  ],
);

/**
 * T6: the staff users of a store and their role: a built-in one (OWNER, MANAGER, VIEWER) or the
 * store's own action set (CUSTOM with `custom_role_id`). User ids are the tokens' subjects.
 */
export const staffMembers = customerSchema.table(
  'staff_members',
  {
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    userId: text('user_id').notNull(),
    role: text('role').notNull(),
    customRoleId: uuid('custom_role_id'),
    /** Who added or last changed the member; null for a store's first owner. */
    updatedBy: text('updated_by'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'staff_members_pkey', columns: [t.storeId, t.userId] }),
    // A custom role in use cannot be deleted: the member would be left without a role.
    foreignKey({
      columns: [t.storeId, t.customRoleId],
      foreignColumns: [staffRoles.storeId, staffRoles.id],
      name: 'staff_members_role_fk',
    }),
    check('staff_members_role_check', sql`${t.role} in ('OWNER', 'MANAGER', 'VIEWER', 'CUSTOM')`),
    check('staff_members_custom_role_check', sql`(${t.role} = 'CUSTOM') = (${t.customRoleId} is not null)`),
    index('staff_members_role_idx').on(t.storeId, t.customRoleId),
  ],
);

/**
 * T6/S3 shared access: a staff user of elsewhere may use this store's Customers module with the
 * actions granted. A revoked grant stays as history; at most one is active per user and store.
 */
export const accessGrants = customerSchema.table(
  'access_grants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    storeId: uuid('store_id')
      .notNull()
      .references(() => stores.id),
    userId: text('user_id').notNull(),
    actions: text('actions').array().notNull(),
    grantedBy: text('granted_by').notNull(),
    grantedAt: timestamp('granted_at', { withTimezone: true, precision: 3 }).notNull().defaultNow(),
    revokedBy: text('revoked_by'),
    revokedAt: timestamp('revoked_at', { withTimezone: true, precision: 3 }),
  },
  (t) => [
    uniqueIndex('access_grants_active_key')
      .on(t.storeId, t.userId)
      .where(sql`${t.revokedAt} is null`),
    index('access_grants_store_idx').on(t.storeId, t.grantedAt, t.id),
    check('access_grants_actions_check', sql`cardinality(${t.actions}) > 0 and ${t.actions} <@ ${STAFF_ACTIONS_SQL}`),
    check('access_grants_revoked_check', sql`(${t.revokedAt} is null) = (${t.revokedBy} is null)`),
  ],
);

export const tables = {
  staffRoles,
  staffMembers,
  accessGrants,
  auditEntries,
  auditActorKind,
  outbox,
  guests,
  timelineEntries,
  timelineKind,
  stores,
  identities,
  customers,
  addresses,
  customerMetrics,
  watchlist,
  segments,
  appliedEvents,
  customerStatus,
  gender,
  addressKind,
};
export type CustomerRow = typeof customers.$inferSelect;
export type AddressRow = typeof addresses.$inferSelect;
export type StoreRow = typeof stores.$inferSelect;
export type CustomerMetricsRow = typeof customerMetrics.$inferSelect;
export type SegmentRow = typeof segments.$inferSelect;
export type GuestRow = typeof guests.$inferSelect;
export type TimelineEntryRow = typeof timelineEntries.$inferSelect;
export type AuditEntryRow = typeof auditEntries.$inferSelect;
export type StaffRoleRow = typeof staffRoles.$inferSelect;
export type StaffMemberRow = typeof staffMembers.$inferSelect;
export type AccessGrantRow = typeof accessGrants.$inferSelect;
