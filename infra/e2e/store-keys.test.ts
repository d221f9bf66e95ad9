import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgError, type Database } from '@cg/db';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

/**
 * Every row belongs to one store, and every key says so first: a primary key or unique index
 * begins with `store_id`, and a foreign key between two stores' tables carries the store on both
 * sides. That keeps sharding by store possible (Citus wants the distribution column in every
 * unique constraint, and joins by it to stay on one node), and it makes a row that points at
 * another store's row impossible in the database itself.
 */
const SCHEMAS = ['customer', 'commerce_history', 'engagement', 'consent'];

/** Keys that are global by design, by `schema.index`, with the reason. */
const GLOBAL_KEYS: Record<string, string> = {
  // The tenants themselves: a store's id is the store column (row security keys `stores` by it).
  'customer.stores_pkey': 'a store is keyed by its own id, which is the store id',
  // T2: one person behind profiles in many stores, found by exact contact from any store.
  'customer.identities_pkey': 'an identity is shared by the stores whose profiles it links (T2)',
  'customer.identities_email_key': 'one identity per email across all stores (T2)',
  'customer.identities_phone_key': 'one identity per phone across all stores (T2)',
  // A consumer's record of which events it applied, written only by the delivery worker: requests
  // never see it (no store column, so row security grants it to nobody). Event ids are the
  // producers' uuids, unique without a store. Sharding it with the store's rows would take the
  // event's store here as a column, and rows recorded before it would have none to key by.
  'customer.applied_events_pkey': 'event ids are global uuids; the table carries no store',
  'commerce_history.applied_events_pkey': 'event ids are global uuids; the table carries no store',
  'engagement.applied_events_pkey': 'event ids are global uuids; the table carries no store',
  'consent.applied_events_pkey': 'event ids are global uuids; the table carries no store',
  // drizzle's bookkeeping of applied migrations, one row per migration of the schema.
  'customer.__migrations_pkey': 'migration bookkeeping, not data',
  'commerce_history.__migrations_pkey': 'migration bookkeeping, not data',
  'engagement.__migrations_pkey': 'migration bookkeeping, not data',
  'consent.__migrations_pkey': 'migration bookkeeping, not data',
};

/** Tables keyed to a store by another column than `store_id`. */
const STORE_COLUMNS: Record<string, string> = { 'customer.stores': 'id' };

interface Key {
  name: string;
  definition: string;
  first: string | null;
}

interface ForeignKey {
  name: string;
  table: string;
  parent: string;
  definition: string;
  /** Column pairs (child = parent) of the key, as text. */
  pairs: string[];
}

let graph: TestGraph;
let sql: Database['sql'];
let a: TestStore;
let b: TestStore;

beforeAll(async () => {
  graph = await startTestGraph();
  sql = graph.graph.subgraphs.customer.db.sql;
  a = await graph.createStore('Store A');
  b = await graph.createStore('Store B');
});
afterAll(() => graph?.close());

/** Column names as text: postgres.js does not parse int2vector, so indkey stays in SQL. */
function uniqueKeys(): Promise<Key[]> {
  return sql<Key[]>`
    select n.nspname || '.' || i.relname as name,
      pg_get_indexdef(x.indexrelid) as definition,
      (select a.attname::text from pg_attribute a where a.attrelid = x.indrelid and a.attnum = x.indkey[0]) as first
    from pg_index x
      join pg_class i on i.oid = x.indexrelid
      join pg_class t on t.oid = x.indrelid
      join pg_namespace n on n.oid = t.relnamespace
    where n.nspname in ${sql(SCHEMAS)} and (x.indisprimary or x.indisunique)
    order by 1`;
}

function foreignKeys(): Promise<ForeignKey[]> {
  return sql<ForeignKey[]>`
    select n.nspname || '.' || con.conname as name,
      n.nspname || '.' || t.relname as table,
      pn.nspname || '.' || p.relname as parent,
      pg_get_constraintdef(con.oid) as definition,
      array(
        select ca.attname::text || '=' || pa.attname::text
        from unnest(con.conkey, con.confkey) as k(child, parent)
          join pg_attribute ca on ca.attrelid = con.conrelid and ca.attnum = k.child
          join pg_attribute pa on pa.attrelid = con.confrelid and pa.attnum = k.parent
      ) as pairs
    from pg_constraint con
      join pg_class t on t.oid = con.conrelid
      join pg_namespace n on n.oid = t.relnamespace
      join pg_class p on p.oid = con.confrelid
      join pg_namespace pn on pn.oid = p.relnamespace
    where con.contype = 'f' and n.nspname in ${sql(SCHEMAS)}
    order by 1`;
}

/** The store column of each table that has one, by `schema.table`. */
async function storeColumns(): Promise<Map<string, string>> {
  const rows = await sql<{ table: string }[]>`
    select n.nspname || '.' || t.relname as table
    from pg_class t join pg_namespace n on n.oid = t.relnamespace
    where n.nspname in ${sql(SCHEMAS)} and t.relkind in ('r', 'p')
      and exists (select from pg_attribute a where a.attrelid = t.oid and a.attname = 'store_id' and not a.attisdropped)`;
  return new Map([...rows.map((row): [string, string] => [row.table, 'store_id']), ...Object.entries(STORE_COLUMNS)]);
}

async function refusal(statement: Promise<unknown>): Promise<{ code?: string; constraint_name?: string }> {
  try {
    await statement;
  } catch (error) {
    return { code: pgError(error)?.code, constraint_name: pgError(error)?.constraint_name };
  }
  throw new Error('expected PostgreSQL to refuse');
}

describe('the keys of every subgraph', () => {
  it('begin with store_id, except the keys that are global by design', async () => {
    const keys = await uniqueKeys();
    expect(keys.length).toBeGreaterThan(40);
    const offending = keys
      .filter((key) => key.first !== 'store_id' && !(key.name in GLOBAL_KEYS))
      .map((key) => `${key.name}: ${key.definition}`);
    expect(offending).toEqual([]);
  });

  it('lists as global only keys that exist and do not begin with store_id', async () => {
    const keys = new Map((await uniqueKeys()).map((key) => [key.name, key]));
    const stale = Object.keys(GLOBAL_KEYS).filter((name) => !keys.has(name) || keys.get(name)!.first === 'store_id');
    expect(stale).toEqual([]);
  });

  it('carry the store on both sides of every foreign key between two stores’ tables', async () => {
    const columns = await storeColumns();
    const between = (await foreignKeys()).filter((fk) => columns.has(fk.table) && columns.has(fk.parent));
    expect(between.length).toBeGreaterThan(20);
    const offending = between
      .filter((fk) => !fk.pairs.includes(`${columns.get(fk.table)}=${columns.get(fk.parent)}`))
      .map((fk) => `${fk.name}: ${fk.definition}`);
    expect(offending).toEqual([]);
  });

  it('point from a store’s table only at global tables otherwise', async () => {
    const columns = await storeColumns();
    const global = (await foreignKeys())
      .filter((fk) => columns.has(fk.table) && !columns.has(fk.parent))
      .map((fk) => `${fk.table} -> ${fk.parent}`);
    expect(global).toEqual(['customer.customers -> customer.identities']);
  });
});

describe('a row of one store that names another store’s row', () => {
  it('is refused by the database: an address of store A for a customer of store B', async () => {
    const theirs = await b.createCustomer();
    const ours = await a.createCustomer();
    const insert = (customerId: string) => sql`
      insert into customer.addresses (store_id, customer_id, kind, recipient, line1, city, country)
      values (${a.id}, ${customerId}, 'delivery', 'R', '1 St', 'C', 'NL') returning id`;
    expect(await refusal(insert(theirs.id))).toEqual({ code: '23503', constraint_name: 'addresses_customer_fk' });
    // The same row for store A's own customer is accepted: the refusal above is the store's.
    expect(await insert(ours.id)).toHaveLength(1);
  });

  it('is refused by the database: an item of store A in an order of store B', async () => {
    const order = await b.recordOrder({ customerId: (await b.createCustomer()).id });
    const insert = (storeId: string, position: number) => sql`
      insert into commerce_history.order_items (store_id, order_id, position, product_id, name, quantity, unit_price, total)
      values (${storeId}, ${order.id}, ${position}, 'p', 'Product', 1, 100, 100) returning id`;
    expect(await refusal(insert(a.id, 1))).toEqual({ code: '23503', constraint_name: 'order_items_order_fk' });
    expect(await insert(b.id, 1)).toHaveLength(1);
  });
});
