import { appliedEventsTable, customerDirectoryTable, outboxTable } from '@cg/events';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  inet,
  integer,
  pgSchema,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, pgEnumValues, timestamptz } from '@cg/db';
import { LegalDocumentCategory, LegalDocumentType } from '../legal-documents/legal-document.enum.ts';
import {
  NotificationChannel,
  PermissionAction,
  PermissionRecorderKind,
  PermissionSource,
} from '../permissions/permission.enum.ts';

export const consentSchema = pgSchema('consent');

export const legalDocumentType = consentSchema.enum('legal_document_type', pgEnumValues(LegalDocumentType));
export const legalDocumentCategory = consentSchema.enum('legal_document_category', pgEnumValues(LegalDocumentCategory));
export const notificationChannel = consentSchema.enum('notification_channel', pgEnumValues(NotificationChannel));
export const permissionAction = consentSchema.enum('permission_action', pgEnumValues(PermissionAction));
export const permissionSource = consentSchema.enum('permission_source', pgEnumValues(PermissionSource));
export const principalKind = consentSchema.enum('principal_kind', pgEnumValues(PermissionRecorderKind));

/**
 * P1: one row per version of a store's legal document; `key` names the series. Rows are never
 * rewritten: a trigger (migration 0001) rejects UPDATE and DELETE, and a new version is a new row.
 */
export const legalDocuments = consentSchema.table(
  'legal_documents',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    /** Stable slug of the series, e.g. `membership-agreement`. */
    key: text('key').notNull(),
    type: legalDocumentType('type').notNull(),
    category: legalDocumentCategory('category').notNull(),
    title: text('title').notNull(),
    /** 1, 2, 3... per (store, key). */
    version: integer('version').notNull(),
    content: text('content'),
    url: text('url'),
    effectiveAt: timestamptz('effective_at').notNull().defaultNow(),
    mandatory: boolean('mandatory').notNull().default(false),
    /** The staff user who published the version. */
    publishedBy: text('published_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'legal_documents_pkey', columns: [t.storeId, t.id] }),
    // Target of the permission records' foreign key, which also pins the record's copy of the key.
    unique('legal_documents_store_id_series_key').on(t.storeId, t.id, t.key),
    // Concurrent publishes of one key can never produce the same version.
    unique('legal_documents_store_key_version_key').on(t.storeId, t.key, t.version),
    check('legal_documents_body_check', sql`num_nonnulls(${t.content}, ${t.url}) = 1`),
    check('legal_documents_version_check', sql`${t.version} >= 1`),
    check('legal_documents_key_check', sql`${t.key} ~ '^[a-z0-9]+(-[a-z0-9]+)*$' and length(${t.key}) <= 100`),
    check('legal_documents_title_check', sql`length(btrim(${t.title})) > 0`),
    index('legal_documents_store_created_idx').on(t.storeId, t.createdAt, t.id),
  ],
);

/**
 * P2: every grant or revocation of a document version or a notification channel, append-only
 * (a trigger rejects UPDATE and DELETE). The current state is derived into `permission_states`.
 */
export const permissionRecords = consentSchema.table(
  'permission_records',
  {
    id: uuid('id').notNull().defaultRandom(),
    /** Insertion order; breaks ties between records of the same millisecond. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    documentId: uuid('document_id'),
    /** The document's series key, copied and checked by the foreign key. */
    documentKey: text('document_key'),
    channel: notificationChannel('channel'),
    action: permissionAction('action').notNull(),
    source: permissionSource('source').notNull(),
    ip: inet('ip'),
    recordedBy: text('recorded_by').notNull(),
    recordedByKind: principalKind('recorded_by_kind').notNull(),
    recordedAt: timestamptz('recorded_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'permission_records_pkey', columns: [t.storeId, t.id] }),
    uniqueIndex('permission_records_seq_key').on(t.storeId, t.seq),
    check(
      'permission_records_subject_check',
      sql`num_nonnulls(${t.documentId}, ${t.channel}) = 1 and (${t.documentId} is null) = (${t.documentKey} is null)`,
    ),
    foreignKey({
      columns: [t.storeId, t.documentId, t.documentKey],
      foreignColumns: [legalDocuments.storeId, legalDocuments.id, legalDocuments.key],
      name: 'permission_records_document_fk',
    }),
    index('permission_records_customer_idx').on(t.storeId, t.customerId, t.recordedAt, t.seq),
  ],
);

/**
 * The current permission per (customer, subject): the latest record of the subject, where the
 * subject is a document's series key (a grant of version 2 supersedes version 1) or a channel.
 * Derived only, by the trigger on `permission_records` in the same statement as the insert
 * (migration 0001); never written by the service.
 */
export const permissionStates = consentSchema.table(
  'permission_states',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    /** `document:<key>` or `channel:<channel>`. */
    subject: text('subject').notNull(),
    documentKey: text('document_key'),
    /** The version the latest record granted or revoked. */
    documentId: uuid('document_id'),
    documentType: legalDocumentType('document_type'),
    /** The document's category; `notification` for channels. */
    category: legalDocumentCategory('category').notNull(),
    channel: notificationChannel('channel'),
    status: permissionAction('status').notNull(),
    source: permissionSource('source').notNull(),
    ip: inet('ip'),
    recordedBy: text('recorded_by').notNull(),
    recordedByKind: principalKind('recorded_by_kind').notNull(),
    recordId: uuid('record_id').notNull(),
    recordSeq: bigint('record_seq', { mode: 'number' }).notNull(),
    /** Time of the latest record. */
    updatedAt: timestamptz('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ name: 'permission_states_pkey', columns: [t.storeId, t.id] }),
    unique('permission_states_subject_key').on(t.storeId, t.customerId, t.subject),
    check('permission_states_subject_check', sql`num_nonnulls(${t.documentId}, ${t.channel}) = 1`),
    foreignKey({
      columns: [t.storeId, t.recordId],
      foreignColumns: [permissionRecords.storeId, permissionRecords.id],
      name: 'permission_states_record_fk',
    }),
    foreignKey({
      columns: [t.storeId, t.documentId, t.documentKey],
      foreignColumns: [legalDocuments.storeId, legalDocuments.id, legalDocuments.key],
      name: 'permission_states_document_fk',
    }),
    index('permission_states_customer_idx').on(t.storeId, t.customerId, t.updatedAt, t.recordSeq),
  ],
);

/** Domain events of this subgraph (packages/events). */
export const outbox = outboxTable(consentSchema);

/** Events this subgraph has applied (C19 erasure), so a redelivery changes nothing. */
export const appliedEvents = appliedEventsTable(consentSchema);

/** The customers of each store, kept from the customer subgraph's events (@cg/events' directory.ts). */
export const customerDirectory = customerDirectoryTable(consentSchema);

export const tables = {
  outbox,
  appliedEvents,
  customerDirectory,
  legalDocuments,
  permissionRecords,
  permissionStates,
  legalDocumentType,
  legalDocumentCategory,
  notificationChannel,
  permissionAction,
  permissionSource,
  principalKind,
};
export type LegalDocumentRow = typeof legalDocuments.$inferSelect;
export type PermissionRecordRow = typeof permissionRecords.$inferSelect;
export type PermissionStateRow = typeof permissionStates.$inferSelect;
