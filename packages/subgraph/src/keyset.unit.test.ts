import 'reflect-metadata';
import { sql } from 'drizzle-orm';
import { PgDialect, bigint, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { encodeCursor } from './connection.ts';
import { keyset, parentsByColumn, type KeysetSort } from './keyset.ts';

const items = pgTable('items', {
  id: uuid('id').notNull(),
  name: text('name').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  total: bigint('total', { mode: 'number' }).notNull(),
});
type Item = typeof items.$inferSelect;

const byCreated: KeysetSort<Item> = {
  name: 'createdAt:desc',
  direction: 'desc',
  columns: [
    { expr: items.createdAt, type: 'timestamptz', value: (row) => row.createdAt },
    { expr: items.id, type: 'uuid', value: (row) => row.id },
  ],
};

/** Every cursor type, ascending, on a key expression rather than a column for the name. */
const byEverything: KeysetSort<Item> = {
  name: 'everything:asc',
  direction: 'asc',
  columns: [
    { expr: sql`lower(${items.name})`, type: 'text', value: (row) => row.name.toLowerCase() },
    { expr: items.total, type: 'bigint', value: (row) => row.total },
    { expr: items.createdAt, type: 'timestamptz', value: (row) => row.createdAt },
    { expr: items.id, type: 'uuid', value: (row) => row.id },
  ],
};

const ID = '0b6c3a52-6a4e-4f0e-9d55-4c1c2b1e7a10';
const item: Item = { id: ID, name: 'Ayşe', createdAt: new Date('2026-03-04T05:06:07.089Z'), total: 1999 };

const dialect = new PgDialect();
const render = (query: Parameters<PgDialect['sqlToQuery']>[0]) => {
  const { sql: text, params } = dialect.sqlToQuery(query);
  return { sql: text, params };
};

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return (error as GraphQLError).extensions.fields;
  }
  throw new Error('expected a BAD_USER_INPUT error');
}
const NOT_A_CURSOR = [{ field: 'after', message: 'is not a cursor of this list' }];

describe('keyset.cursorOf', () => {
  it('encodes the sort name and the row’s key, dates as ISO strings', () => {
    const cursor = keyset.cursorOf(byCreated)(item);
    expect(cursor).toBe(encodeCursor('createdAt:desc', ['2026-03-04T05:06:07.089Z', ID]));
    expect(keyset.cursorOf(byEverything)(item)).toBe(
      encodeCursor('everything:asc', ['ayşe', 1999, '2026-03-04T05:06:07.089Z', ID]),
    );
  });
});

describe('keyset.orderBy', () => {
  it('orders by every column of the sort in its direction', () => {
    expect(keyset.orderBy(byCreated).map((part) => render(part).sql)).toEqual([
      '"items"."created_at" desc',
      '"items"."id" desc',
    ]);
    expect(render(sql.join(keyset.orderBy(byEverything), sql`, `)).sql).toBe(
      'lower("items"."name") asc, "items"."total" asc, "items"."created_at" asc, "items"."id" asc',
    );
  });
});

describe('keyset.after', () => {
  it('is no condition without a cursor', () => {
    expect(keyset.after(byCreated, undefined)).toBeUndefined();
    expect(keyset.after(byCreated, null)).toBeUndefined();
    expect(keyset.after(byCreated, '')).toBeUndefined();
  });

  it('is one row comparison with typed parameters, below the cursor when descending', () => {
    expect(render(keyset.after(byCreated, keyset.cursorOf(byCreated)(item))!)).toEqual({
      sql: '("items"."created_at", "items"."id") < ($1::timestamptz, $2::uuid)',
      params: ['2026-03-04T05:06:07.089Z', ID],
    });
  });

  it('is above the cursor when ascending, with every cursor type', () => {
    expect(render(keyset.after(byEverything, keyset.cursorOf(byEverything)(item))!)).toEqual({
      sql:
        '(lower("items"."name"), "items"."total", "items"."created_at", "items"."id")' +
        ' > ($1::text, $2::bigint, $3::timestamptz, $4::uuid)',
      params: ['ayşe', 1999, '2026-03-04T05:06:07.089Z', ID],
    });
  });

  it('refuses a cursor of another sort or length', () => {
    expect(refusal(() => keyset.after(byCreated, keyset.cursorOf(byEverything)(item)))).toEqual(NOT_A_CURSOR);
    expect(refusal(() => keyset.after(byCreated, encodeCursor('createdAt:asc', [item.createdAt, ID])))).toEqual(
      NOT_A_CURSOR,
    );
    expect(refusal(() => keyset.after(byCreated, encodeCursor('createdAt:desc', [ID])))).toEqual(NOT_A_CURSOR);
  });

  it('refuses a value that is not of its column’s type, before it reaches SQL', () => {
    const everything = (values: unknown[]) => () => keyset.after(byEverything, encodeCursor('everything:asc', values));
    const good = ['ayşe', 1999, '2026-03-04T05:06:07.089Z', ID];
    expect(everything(good)()).toBeDefined();
    expect(everything([ID.toUpperCase(), 0, good[2], ID.toUpperCase()])()).toBeDefined();
    const bad: unknown[][] = [
      [42, 1999, good[2], ID], // text: a number
      [null, 1999, good[2], ID],
      ['ayşe', '1999', good[2], ID], // bigint: a string
      ['ayşe', 19.99, good[2], ID],
      ['ayşe', 2 ** 53, good[2], ID],
      ['ayşe', 1999, 'yesterday', ID], // timestamptz: not a date
      ['ayşe', 1999, 1772600767089, ID],
      // timestamptz: what Date.parse takes but PostgreSQL refuses, or reads otherwise than written
      ['ayşe', 1999, '2020-02-30', ID],
      ['ayşe', 1999, '2020-02-30T00:00:00.000Z', ID],
      ['ayşe', 1999, '1', ID],
      ['ayşe', 1999, '2026-03-04', ID],
      ['ayşe', 1999, '2026-03-04T05:06:07Z', ID],
      ['ayşe', 1999, '2026-03-04T05:06:07.089+01:00', ID],
      ['ayşe', 1999, '+275760-09-13T00:00:00.000Z', ID],
      ['ayşe', 1999, '2026-03-04T24:00:00.000Z', ID],
      ['a\u0000b', 1999, good[2], ID], // text: NUL or an unpaired surrogate
      ['a\uD800b', 1999, good[2], ID],
      ['ayşe', 1999, good[2], 'not-a-uuid'], // uuid
      ['ayşe', 1999, good[2], `${ID}0`],
      ['ayşe', 1999, good[2], `x${ID}`],
    ];
    for (const values of bad) expect(refusal(everything(values)), JSON.stringify(values)).toEqual(NOT_A_CURSOR);
  });

  it('refuses a cursor not written exactly as the list writes it', () => {
    const cursor = keyset.cursorOf(byCreated)(item);
    const json = Buffer.from(cursor, 'base64url').toString('utf8');
    const forged = [
      `${cursor}=`, // padding
      `${cursor}!`,
      Buffer.from(` ${json}`).toString('base64url'), // other JSON of the same values
      Buffer.from(json.replace('[', '[ ')).toString('base64url'),
      Buffer.from([0xff, 0xfe, 0x5b]).toString('base64url'), // not UTF-8
      Buffer.from('{"0":"createdAt:desc"}').toString('base64url'),
    ];
    for (const bad of forged)
      expect(
        refusal(() => keyset.after(byCreated, bad)),
        bad,
      ).toEqual(NOT_A_CURSOR);
  });

  it('names the argument it checks', () => {
    expect(refusal(() => keyset.after(byCreated, 'garbage', 'ordersAfter'))).toEqual([
      { field: 'ordersAfter', message: 'is not a cursor of this list' },
    ]);
  });
});

describe('parentsByColumn', () => {
  it('lists the ids that can match as one uuid array, lower-casing keys', () => {
    const parents = parentsByColumn(items.id)([ID.toUpperCase(), 'not-an-id', ID])!;
    expect(render(parents.rows)).toEqual({
      sql: 'unnest($1::uuid[]) as p(parent_key)',
      params: [`{${ID.toUpperCase()},${ID}}`],
    });
    expect(render(parents.match).sql).toBe('"items"."id" = p.parent_key');
    expect(parents.normalize!(ID.toUpperCase())).toBe(ID);
  });

  it('is null when no key is an id', () => {
    expect(parentsByColumn(items.id)(['guest@example.com'])).toBeNull();
    expect(parentsByColumn(items.id)([])).toBeNull();
  });
});
