import { sql } from 'drizzle-orm';
import { check, jsonb, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import type { SegmentRulesDocument } from '../../segments/segment.rules.ts';
import { createdAt, updatedAt } from '@cg/db';
import { customerSchema } from './base.ts';
import { stores } from './stores.ts';

/**
 * C12: a named, rule-based, dynamic set of a store's customers. `rules` is the JSON document that
 * `segmentRulesSchema` (segments/segment.rules.ts) validates; membership is never stored but
 * computed from the current profile and metrics whenever it is asked for.
 */
export const segments = customerSchema.table(
  'segments',
  {
    id: uuid('id').notNull().defaultRandom(),
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
    primaryKey({ name: 'segments_pkey', columns: [t.storeId, t.id] }),
    // Names are unique per store, case-insensitively; the list pages by this key.
    uniqueIndex('segments_store_name_key').on(t.storeId, sql`lower(${t.name})`),
    check('segments_rules_check', sql`jsonb_typeof(${t.rules}) = 'array'`),
  ],
);

export type SegmentRow = typeof segments.$inferSelect;
