import { and, eq, getTableColumns, getTableName, inArray, sql, type Column, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { BaseContext } from './context.ts';
import { invalidField } from './errors.ts';
import { zx } from './input.ts';
import { byKey, groupByKey } from './loaders.ts';

/**
 * Throws BAD_USER_INPUT naming `field` unless `id` is a well-formed id; gives it back in lower case,
 * as ids are stored (ID arguments already arrive so, see arguments.ts).
 */
export function requireId(id: string, field = 'id'): string {
  if (!zx.id.safeParse(id).success) throw invalidField(field, 'must be a valid id');
  return id.toLowerCase();
}

/**
 * A row of a store-scoped table by id, batched with every other id the request asks for (one
 * statement per table per request). Rows of other stores and malformed ids come back as null.
 * `key` names another unique column than `id`; `where` narrows further (e.g. to the calling
 * customer) and must be the same for the whole request.
 */
export function loadInStore<Row>(
  ctx: BaseContext,
  db: PostgresJsDatabase<any>,
  table: PgTable & { storeId: Column },
  id: string,
  options: { key?: Column; where?: SQL } = {},
): Promise<Row | null> {
  if (!zx.id.safeParse(id).success) return Promise.resolve(null);
  const key = options.key ?? (table as unknown as { id: Column }).id;
  return ctx.loaders
    .get<string, Row | null>(`byId:${getTableName(table)}.${key.name}`, null, async (ids) => {
      const rows = (await db
        .select()
        .from(table as PgTable)
        .where(and(eq(table.storeId, ctx.storeId), inArray(key, [...ids]), options.where))) as Record<
        string,
        unknown
      >[];
      const property = propertyOf(table, key);
      return byKey(ids, rows, (row) => row[property] as string) as (Row | null)[];
    })
    .load(id);
}

/**
 * Every row of a store-scoped table under one parent (an order's items, a customer's consent
 * records) in `orderBy` order, batched with every other parent of the request in one statement.
 */
export function loadByParent<Row>(
  ctx: BaseContext,
  db: PostgresJsDatabase<any>,
  options: {
    /** Names the relation in the request's loader registry. */
    relation: string;
    table: PgTable & { storeId: Column };
    parentColumn: Column;
    parentId: string;
    orderBy: SQL[];
  },
): Promise<Row[]> {
  const { table, parentColumn } = options;
  return ctx.loaders
    .get<string, Row[]>(options.relation, null, async (parentIds) => {
      const rows = (await db
        .select()
        .from(table as PgTable)
        .where(and(eq(table.storeId, ctx.storeId), inArray(parentColumn, [...parentIds])))
        .orderBy(...options.orderBy)) as Record<string, unknown>[];
      const property = propertyOf(table, parentColumn);
      return groupByKey(parentIds, rows, (row) => row[property] as string) as Row[][];
    })
    .load(options.parentId);
}

/**
 * The first `first` rows of a store-scoped table under one parent in `orderBy` order (an order's
 * status history, its payments): a bounded `loadByParent`. Every parent of the request asking for
 * the same `first` shares one statement, which numbers each parent's rows (row_number() over the
 * parent) and keeps the first ones, so a parent with many rows costs no more than its bound.
 * `first` is checked here: a whole number from 1 to `bounds.max` (BAD_USER_INPUT on `field`
 * otherwise), `bounds.default` when not given.
 */
export function listByParent<Row>(
  ctx: BaseContext,
  db: PostgresJsDatabase<any>,
  options: {
    relation: string;
    table: PgTable & { storeId: Column };
    parentColumn: Column;
    parentId: string;
    orderBy: SQL[];
    first: number | null | undefined;
    bounds: { default: number; max: number };
    field?: string;
  },
): Promise<Row[]> {
  const first = boundedFirst(options.first, options.bounds, options.field);
  const { table, parentColumn } = options;
  return ctx.loaders
    .get<string, Row[]>(options.relation, { first }, async (parentIds) => {
      const columns = getTableColumns(table) as Record<string, Column>;
      const selection = sql.join(
        Object.entries(columns).map(([key, column]) => sql`${column} as ${sql.identifier(key)}`),
        sql`, `,
      );
      const result = await db.execute<Record<string, unknown>>(sql`
        select * from (
          select ${selection},
            row_number() over (partition by ${parentColumn} order by ${sql.join(options.orderBy, sql`, `)}) as "__n"
          from ${table}
          where ${and(eq(table.storeId, ctx.storeId), inArray(parentColumn, [...parentIds]))}
        ) t
        where t."__n" <= ${first}
        order by t."__n"`);
      const rows = (result as unknown as Record<string, unknown>[]).map((raw) => {
        const row: Record<string, unknown> = {};
        for (const [key, column] of Object.entries(columns)) {
          const value = raw[key];
          row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
        }
        return row;
      });
      const property = propertyOf(table, parentColumn);
      return groupByKey(parentIds, rows, (row) => row[property] as string) as Row[][];
    })
    .load(options.parentId);
}

/** `first` of a bounded list: `bounds.default` when not given, else a whole number from 1 to `bounds.max`. */
function boundedFirst(
  first: number | null | undefined,
  bounds: { default: number; max: number },
  field = 'first',
): number {
  if (first === null || first === undefined) return bounds.default;
  if (!Number.isInteger(first) || first < 1 || first > bounds.max) {
    throw invalidField(field, `must be between 1 and ${bounds.max}`);
  }
  return first;
}

/** The row property a table's column is read into. */
function propertyOf(table: PgTable, column: Column): string {
  return Object.entries(getTableColumns(table)).find(([, candidate]) => candidate === column)![0];
}
