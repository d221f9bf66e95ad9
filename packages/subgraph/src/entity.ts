import { and, eq, getTableName, inArray, type Column, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { BaseContext } from './context.ts';
import { invalidField } from './errors.ts';
import { zx } from './input.ts';
import { byKey } from './loaders.ts';

/** Throws BAD_USER_INPUT naming `field` unless `id` is a well-formed id. */
export function requireId(id: string, field = 'id'): string {
  if (!zx.id.safeParse(id).success) throw invalidField(field, 'must be a valid id');
  return id;
}

/**
 * A row of a store-scoped table by id, batched with every other id the request asks for (one
 * statement per table per request). Rows of other stores and malformed ids come back as null.
 * `where` narrows further (e.g. to the calling customer) and must be the same for the whole request.
 */
export function loadInStore<Row extends { id: string }>(
  ctx: BaseContext,
  db: PostgresJsDatabase<any>,
  table: PgTable & { id: Column; storeId: Column },
  id: string,
  where?: SQL,
): Promise<Row | null> {
  if (!zx.id.safeParse(id).success) return Promise.resolve(null);
  return ctx.loaders
    .get<string, Row | null>(`byId:${getTableName(table)}`, null, async (ids) => {
      const rows = await db
        .select()
        .from(table as PgTable)
        .where(and(eq(table.storeId, ctx.storeId), inArray(table.id, [...ids]), where));
      return byKey(ids, rows as unknown as Row[], (row) => row.id);
    })
    .load(id);
}
