import { and, count, sql, getTableColumns, type SQL, type SQLWrapper, type Column } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { decodeCursor, encodeCursor, lazy, pageSize, toConnection, type ConnectionResult } from './connection.ts';
import type { BaseContext } from './context.ts';
import { unsafeText } from './arguments.ts';
import { invalidField } from './errors.ts';

type CursorType = 'uuid' | 'text' | 'timestamptz' | 'bigint';

export interface KeysetColumn<Row> {
  /** A column or an indexed expression; never null. */
  expr: SQLWrapper;
  type: CursorType;
  value: (row: Row) => unknown;
}

/** An ordering whose last column is unique (the id), so that every row has one place. */
export interface KeysetSort<Row> {
  name: string;
  direction: 'asc' | 'desc';
  columns: KeysetColumn<Row>[];
}

/** One column of a sort as `[expr, type, value]`: the column or expression, its cursor type, the row's value. */
export type KeysetKey<Row> = [expr: SQLWrapper, type: CursorType, value: (row: Row) => unknown];

/**
 * A keyset sort from its columns in order, the last of them unique (usually the id). The name is
 * written into every cursor, so renaming it turns away the cursors clients hold.
 */
export function keysetSort<Row>(name: string, direction: 'asc' | 'desc', keys: KeysetKey<Row>[]): KeysetSort<Row> {
  return { name, direction, columns: keys.map(([expr, type, value]) => ({ expr, type, value })) };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Exactly what `Date.prototype.toISOString` writes for years 0000–9999, which PostgreSQL reads back as written. */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Whether a cursor's value is one this list could have written for a column of `type`. */
function checkValue(type: CursorType, value: unknown): boolean {
  switch (type) {
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'text':
      return typeof value === 'string' && unsafeText(value) === undefined;
    case 'timestamptz':
      // Date.parse takes '2020-02-30' and '1'; PostgreSQL does not. Only a round trip is safe.
      return typeof value === 'string' && ISO_TIMESTAMP.test(value) && roundTrips(value);
    case 'bigint':
      return typeof value === 'number' && Number.isSafeInteger(value);
  }
}

function roundTrips(timestamp: string): boolean {
  const time = Date.parse(timestamp);
  return !Number.isNaN(time) && new Date(time).toISOString() === timestamp;
}

function toCursorValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value;
}

export const keyset = {
  orderBy<Row>(sort: KeysetSort<Row>): SQL[] {
    const direction = sql.raw(sort.direction);
    return sort.columns.map((column) => sql`${column.expr} ${direction}`);
  },

  /**
   * `(a, b, id) > (...)` in one row comparison, which PostgreSQL answers from an index on the
   * same columns; undefined when there is no cursor.
   */
  after<Row>(sort: KeysetSort<Row>, cursor: string | null | undefined, field = 'after'): SQL | undefined {
    if (!cursor) return undefined;
    const values = decodeCursor(cursor, sort.name, sort.columns.length, field);
    const params = sort.columns.map((column, index) => {
      const value = values[index];
      if (!checkValue(column.type, value)) throw invalidField(field, 'is not a cursor of this list');
      return sql`${value}::${sql.raw(column.type)}`;
    });
    const operator = sql.raw(sort.direction === 'asc' ? '>' : '<');
    return sql`(${sql.join(
      sort.columns.map((column) => column.expr),
      sql`, `,
    )}) ${operator} (${sql.join(params, sql`, `)})`;
  },

  cursorOf<Row>(sort: KeysetSort<Row>): (row: Row) => string {
    return (row) =>
      encodeCursor(
        sort.name,
        sort.columns.map((column) => toCursorValue(column.value(row))),
      );
  },
};

/** What a root list's page query adds to its own conditions: the cursor's, the ordering and the limit. */
export interface KeysetPage {
  /** `keyset.after` of the cursor; undefined on the first page. */
  after: SQL | undefined;
  orderBy: SQL[];
  /** `first + 1`, so that the extra row tells whether there is a next page. */
  limit: number;
}

/**
 * A root connection field (the store's segments, audit log…): checks the page arguments, reads one
 * page with `page` and counts with `count` only when `totalCount` is selected. `count` is a
 * `select({ total: count() })` over the same conditions as the page, without the cursor.
 */
export async function rootConnection<Row>(
  sort: KeysetSort<Row>,
  args: { first?: number | null; after?: string | null },
  query: {
    page: (keyset: KeysetPage) => PromiseLike<Row[]>;
    count: () => PromiseLike<{ total: number }[]>;
  },
): Promise<ConnectionResult<Row>> {
  const first = pageSize(args.first);
  const after = keyset.after(sort, args.after);
  const rows = await query.page({ after, orderBy: keyset.orderBy(sort), limit: first + 1 });
  return toConnection(rows, {
    first,
    after: args.after,
    cursorOf: keyset.cursorOf(sort),
    totalCount: lazy(async () => (await query.count())[0]?.total ?? 0),
  });
}

/** A root connection over the rows of one table that meet `conditions`, as they are stored. */
export function tableConnection<Row>(
  db: PostgresJsDatabase<any>,
  options: {
    table: PgTable;
    sort: KeysetSort<Row>;
    conditions: (SQL | undefined)[];
    args: { first?: number | null; after?: string | null };
  },
): Promise<ConnectionResult<Row>> {
  const { table, conditions } = options;
  return rootConnection(options.sort, options.args, {
    page: ({ after, orderBy, limit }) =>
      db
        .select()
        .from(table)
        .where(and(...conditions, after))
        .orderBy(...orderBy)
        .limit(limit) as PromiseLike<unknown[]> as PromiseLike<Row[]>,
    count: () =>
      db
        .select({ total: count() })
        .from(table)
        .where(and(...conditions)),
  });
}

export interface ParentPage<Row> {
  rows: Row[];
  total: number;
}

/**
 * The parents of a batch as SQL: `rows` is a FROM item named `p` with one row per key and the key
 * in `p.parent_key`; `match` ties a row of the listed table to its parent row `p`. Null when no key
 * can match anything.
 */
export interface ParentRows {
  rows: SQL;
  match: SQL;
  /** The key as `p.parent_key::text` gives it back. */
  normalize?: (key: string) => string;
}

/** Parents named by id in one column of the listed table (a customer's orders: `orders.customer_id`). */
export function parentsByColumn(column: Column): (keys: readonly string[]) => ParentRows | null {
  return (keys) => {
    const ids = keys.filter((id) => UUID.test(id));
    if (ids.length === 0) return null;
    return {
      rows: sql`unnest(${`{${ids.join(',')}}`}::uuid[]) as p(parent_key)`,
      match: sql`${column} = p.parent_key`,
      normalize: (key) => key.toLowerCase(),
    };
  };
}

/**
 * One page of a per-parent list for many parents in one statement: a LATERAL subquery per parent
 * with its own LIMIT (so an index on (parent, sort...) serves each parent), plus the parent's
 * count when asked for. Parents without rows still get their count. Parents are ids in
 * `parentColumn`, or any `parents` mapping of keys to rows (e.g. a guest's email or phone).
 */
export async function pagedByParent<Row>(
  db: PostgresJsDatabase<any>,
  options: {
    table: PgTable;
    parentIds: readonly string[];
    where?: SQL;
    sort: KeysetSort<Row>;
    limit: number;
    after?: string | null;
    withTotal: boolean;
  } & ({ parentColumn: Column } | { parents: (keys: readonly string[]) => ParentRows | null }),
): Promise<ParentPage<Row>[]> {
  const parents =
    'parents' in options
      ? options.parents(options.parentIds)
      : parentsByColumn(options.parentColumn)(options.parentIds);
  if (!parents) return options.parentIds.map(() => ({ rows: [], total: 0 }));

  const columns = getTableColumns(options.table) as Record<string, Column>;
  const selection = sql.join(
    Object.entries(columns).map(([key, column]) => sql`${column} as ${sql.identifier(key)}`),
    sql`, `,
  );
  const conditions = [parents.match, options.where].filter(Boolean) as SQL[];
  const filter = sql.join(conditions, sql` and `);
  const after = keyset.after(options.sort, options.after);
  const pageFilter = after ? sql`${filter} and ${after}` : filter;
  const total = options.withTotal
    ? sql`cross join lateral (select count(*)::int as total from ${options.table} where ${filter}) c`
    : sql`cross join lateral (select 0 as total) c`;

  const result = await db.execute<Record<string, unknown>>(sql`
    select p.parent_key::text as "__parent", c.total as "__total", t.*
    from ${parents.rows}
    ${total}
    left join lateral (
      select ${selection} from ${options.table}
      where ${pageFilter}
      order by ${sql.join(keyset.orderBy(options.sort), sql`, `)}
      limit ${options.limit}
    ) t on true`);

  const pages = new Map<string, ParentPage<Row>>();
  for (const raw of result as unknown as Record<string, unknown>[]) {
    const parent = String(raw.__parent);
    let page = pages.get(parent);
    if (!page) {
      page = { rows: [], total: Number(raw.__total) };
      pages.set(parent, page);
    }
    // A parent with no rows in the page comes back once with nulls from the LEFT JOIN.
    if (raw.id === null || raw.id === undefined) continue;
    const row: Record<string, unknown> = {};
    for (const [key, column] of Object.entries(columns)) {
      const value = raw[key];
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value);
    }
    page.rows.push(row as Row);
  }
  const normalize = parents.normalize ?? ((key: string) => key);
  return options.parentIds.map((id) => pages.get(normalize(id)) ?? { rows: [], total: 0 });
}

/**
 * A per-parent connection field (a customer's orders, wallet entries…): validates the page
 * arguments at this field, then batches every parent of the request that asks the same question
 * (same page size, cursor and `filterKey`) into one `pagedByParent` statement.
 */
export async function connectionByParent<Row>(
  ctx: BaseContext,
  db: PostgresJsDatabase<any>,
  options: {
    /** Names the relation in the request's loader registry. */
    relation: string;
    parentId: string;
    table: PgTable;
    sort: KeysetSort<Row>;
    /** Must be the same for every parent sharing `filterKey`; include the store filter. */
    where: SQL | undefined;
    filterKey?: unknown;
    args: { first?: number | null; after?: string | null };
  } & ({ parentColumn: Column } | { parents: (keys: readonly string[]) => ParentRows | null }),
): Promise<ConnectionResult<Row>> {
  const first = pageSize(options.args.first);
  const after = options.args.after ?? null;
  if (after) keyset.after(options.sort, after);
  const page = await ctx.loaders
    .get(options.relation, { first, after, filter: options.filterKey ?? null }, (parentIds: readonly string[]) =>
      pagedByParent<Row>(db, {
        ...('parents' in options ? { parents: options.parents } : { parentColumn: options.parentColumn }),
        table: options.table,
        parentIds,
        where: options.where,
        sort: options.sort,
        limit: first + 1,
        after,
        withTotal: true,
      }),
    )
    .load(options.parentId);
  return toConnection(page.rows, { first, after, cursorOf: keyset.cursorOf(options.sort), totalCount: page.total });
}

/**
 * A per-parent connection over rows that no single table holds (a union of histories, an
 * aggregate): `source(parent)` is a SELECT of one parent's rows, with `parent` the SQL of its id
 * (a uuid); `sort`'s expressions name the source's output columns through the alias `s`. As with
 * `connectionByParent`, every parent of the request that asks the same question shares one
 * statement: a LATERAL page and count per parent. `mapRow` turns a raw row (driver values) into a
 * node.
 */
export async function connectionByParentQuery<Row>(
  ctx: BaseContext,
  db: PostgresJsDatabase<any>,
  options: {
    relation: string;
    parentId: string;
    source: (parent: SQL) => SQL;
    sort: KeysetSort<Row>;
    /** Must tell apart every `source` that differs for the same relation. */
    filterKey?: unknown;
    args: { first?: number | null; after?: string | null };
    mapRow: (raw: Record<string, unknown>) => Row;
  },
): Promise<ConnectionResult<Row>> {
  const first = pageSize(options.args.first);
  const after = options.args.after ?? null;
  const afterSql = keyset.after(options.sort, after);
  const page = await ctx.loaders
    .get(
      options.relation,
      { first, after, filter: options.filterKey ?? null },
      async (parentIds: readonly string[]): Promise<ParentPage<Row>[]> => {
        const ids = parentIds.filter((id) => UUID.test(id)).map((id) => id.toLowerCase());
        if (ids.length === 0) return parentIds.map(() => ({ rows: [], total: 0 }));
        const parent = sql`p.parent_key`;
        const result = await db.execute<Record<string, unknown>>(sql`
          select p.parent_key::text as "__parent", c.total as "__total", t.*
          from unnest(${`{${ids.join(',')}}`}::uuid[]) as p(parent_key)
          cross join lateral (select count(*)::int as total from (${options.source(parent)}) s) c
          left join lateral (
            select s.*, true as "__row" from (${options.source(parent)}) s
            ${afterSql ? sql`where ${afterSql}` : sql``}
            order by ${sql.join(keyset.orderBy(options.sort), sql`, `)}
            limit ${first + 1}
          ) t on true`);
        const pages = new Map<string, ParentPage<Row>>();
        for (const raw of result as unknown as Record<string, unknown>[]) {
          const key = String(raw.__parent);
          let found = pages.get(key);
          if (!found) {
            found = { rows: [], total: Number(raw.__total) };
            pages.set(key, found);
          }
          // A parent with no rows in the page comes back once with nulls from the LEFT JOIN.
          if (raw.__row) found.rows.push(options.mapRow(raw));
        }
        return parentIds.map((id) => pages.get(id.toLowerCase()) ?? { rows: [], total: 0 });
      },
    )
    .load(options.parentId);
  return toConnection(page.rows, { first, after, cursorOf: keyset.cursorOf(options.sort), totalCount: page.total });
}
