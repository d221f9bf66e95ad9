import { index, jsonb, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { customerSchema } from './base.ts';
import { AuditActorKind } from '../../audit/audit.enum.ts';
import { pgEnumValues, timestamptz } from '@cg/db';

export const auditActorKind = customerSchema.enum('audit_actor_kind', pgEnumValues(AuditActorKind));

/**
 * X5: who changed what in any subgraph, before and after, when and from where. Written only by
 * the `audit.recorded` handler, with the event's id as its own, so a replay adds nothing twice.
 * No foreign keys: an entry outlives what it describes.
 */
export const auditEntries = customerSchema.table(
  'audit_entries',
  {
    id: uuid('id').notNull().defaultRandom(),
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
    occurredAt: timestamptz('occurred_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'audit_entries_pkey', columns: [t.storeId, t.id] }),
    index('audit_entries_store_idx').on(t.storeId, t.occurredAt, t.id),
    index('audit_entries_customer_idx').on(t.storeId, t.customerId, t.occurredAt, t.id),
    index('audit_entries_actor_idx').on(t.storeId, t.actorId, t.occurredAt, t.id),
  ],
);

export type AuditEntryRow = typeof auditEntries.$inferSelect;
