import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { beginRequestTransaction, connect, pgError, requestRole, type Database, type RequestScope } from '@cg/db';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

/**
 * Row-level security with the subgraphs' real databases: statements that deliberately leave out
 * the store filter, sent as a request would send them (request role, request scope).
 */
let graph: TestGraph;
let a: TestStore;
let b: TestStore;
let customerDb: Database;
const ids: Record<string, string> = {};

const ADDRESS = `mutation($c: ID!) { addAddress(customerId: $c, input: { kind: DELIVERY, recipient: "R", line1: "1 St", city: "C", country: "NL" }) { id } }`;

/** A customer with a delivery address; the email is looked up below. */
async function customer(store: TestStore, firstName: string): Promise<string> {
  const { id } = await store.createCustomer({ firstName, email: `${firstName.toLowerCase()}@example.com` });
  await store.data(ADDRESS, { c: id });
  return id;
}

/** Runs `work` in a request transaction of the customer subgraph, then rolls it back. */
async function asRequest<T>(scope: Omit<RequestScope, 'role'>, work: (db: Database['orm']) => Promise<T>): Promise<T> {
  const role = requestRole('customer', scope.customerId ? 'customer' : 'staff');
  const transaction = await beginRequestTransaction(customerDb, { role, ...scope });
  try {
    return await work(transaction.db.orm);
  } finally {
    await transaction.end(false);
  }
}

const rows = async (db: Database['orm'], query: string) =>
  (await db.execute(query)) as unknown as Record<string, unknown>[];
const storesOf = (list: Record<string, unknown>[]) => [...new Set(list.map((row) => row.store_id))].sort();

async function refusal(work: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await work();
  } catch (error) {
    return pgError(error)?.code;
  }
  throw new Error('expected PostgreSQL to refuse');
}

beforeAll(async () => {
  graph = await startTestGraph();
  customerDb = graph.graph.subgraphs.customer.db as Database;
  a = await graph.createStore('Store A');
  b = await graph.createStore('Store B');
  ids.a1 = await customer(a, 'Ayla');
  ids.a2 = await customer(a, 'Arda');
  ids.b1 = await customer(b, 'Berk');
});
afterAll(() => graph?.close());

describe('a request scoped to store A', () => {
  it('reads only store A from a statement without a store filter; the owner would read both', async () => {
    const owner = await rows(customerDb.orm, 'select * from customer.customers');
    expect(storesOf(owner)).toEqual([a.id, b.id].sort());

    const scoped = await asRequest({ storeId: a.id }, (db) => rows(db, 'select * from customer.customers'));
    expect(scoped.map((row) => row.id).sort()).toEqual([ids.a1, ids.a2].sort());
    const stores = await asRequest({ storeId: a.id }, (db) => rows(db, 'select id from customer.stores'));
    expect(stores).toEqual([{ id: a.id }]);
  });

  it("cannot write a row of store B, nor change or delete B's rows", async () => {
    const insert = `insert into customer.segments (store_id, name, rules, created_by) values ('${b.id}', 'Stolen', '[]', 'x')`;
    expect(await asRequest({ storeId: a.id }, (db) => refusal(() => db.execute(insert)))).toBe('42501');
    const moved = await asRequest({ storeId: a.id }, (db) =>
      rows(db, `update customer.customers set store_id = '${b.id}' returning id`).catch(pgError),
    );
    expect(moved).toMatchObject({ code: '42501' });
    const changed = await asRequest({ storeId: a.id }, (db) =>
      rows(db, `update customer.customers set notes = 'x' where store_id = '${b.id}' returning id`),
    );
    expect(changed).toEqual([]);
  });

  it('sees nothing at all without a store, and cannot touch tables that have no store column', async () => {
    const none = await asRequest({ storeId: 'not-a-uuid' }, (db) => rows(db, 'select * from customer.customers'));
    expect(none).toEqual([]);
    expect(
      await asRequest({ storeId: a.id }, (db) => refusal(() => db.execute('select * from customer.applied_events'))),
    ).toBe('42501');
    expect(
      await asRequest({ storeId: a.id }, (db) => refusal(() => db.execute('select * from customer.__migrations'))),
    ).toBe('42501');
  });

  it('finds a global identity only by an exact contact, and cannot list identities', async () => {
    expect(
      await asRequest({ storeId: a.id }, (db) => refusal(() => db.execute('select email from customer.identities'))),
    ).toBe('42501');
    const found = await asRequest({ storeId: a.id }, (db) =>
      rows(db, `select customer.identity_by_contact('BERK@example.com', null) as id`),
    );
    expect(found[0]!.id).toEqual(expect.any(String));
  });

  it('covers every table of every subgraph that has a store column, and grants no other', async () => {
    const tables = await rows(
      customerDb.orm,
      `select n.nspname as schema, c.relname as table, c.relrowsecurity as rls,
         exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'store_id' and not a.attisdropped) as has_store,
         (select count(*)::int from pg_policy p where p.polrelid = c.oid) as policies,
         has_table_privilege('cg_' || n.nspname || '_request', c.oid, 'select, insert, update, delete')
           and has_table_privilege('cg_' || n.nspname || '_customer_request', c.oid, 'select, insert, update, delete') as granted
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
       where n.nspname in ('customer', 'commerce_history', 'engagement', 'consent') and c.relkind = 'r'`,
    );
    expect(tables.length).toBeGreaterThan(20);
    const exceptions = new Set(['customer.stores', 'customer.identities']);
    for (const table of tables) {
      const name = `${table.schema}.${table.table}`;
      if (exceptions.has(name)) continue;
      expect({ name, rls: table.rls, policies: (table.policies as number) > 0, granted: table.granted }).toEqual({
        name,
        rls: table.has_store,
        policies: table.has_store as boolean,
        granted: table.has_store,
      });
    }
  });
});

describe('a request of a signed-in customer', () => {
  it("reads only the customer's own rows, the store, and nothing of tables without a customer column", async () => {
    const scope = { storeId: a.id, customerId: ids.a1! };
    const own = await asRequest(scope, (db) => rows(db, 'select id from customer.customers'));
    expect(own).toEqual([{ id: ids.a1 }]);
    const addresses = await asRequest(scope, (db) => rows(db, 'select customer_id from customer.addresses'));
    expect(addresses).toEqual([{ customer_id: ids.a1 }]);
    const staffAddresses = await asRequest({ storeId: a.id }, (db) =>
      rows(db, 'select customer_id from customer.addresses'),
    );
    expect(staffAddresses).toHaveLength(2);
    expect(await asRequest(scope, (db) => rows(db, 'select id from customer.stores'))).toEqual([{ id: a.id }]);
    expect(await asRequest(scope, (db) => rows(db, 'select * from customer.segments'))).toEqual([]);
    const renamed = await asRequest(scope, (db) => rows(db, `update customer.stores set name = 'Mine' returning id`));
    expect(renamed).toEqual([]);
  });

  it('cannot write a row for another customer', async () => {
    const scope = { storeId: a.id, customerId: ids.a1! };
    const insert = `insert into customer.watchlist (store_id, customer_id, created_by) values ('${a.id}', '${ids.a2}', 'x')`;
    expect(await asRequest(scope, (db) => refusal(() => db.execute(insert)))).toBe('42501');
  });

  it('is scoped to the customer in a subgraph that accepts customer tokens', async () => {
    const token = await signToken({ kind: 'customer', userId: ids.a1!, storeId: a.id });
    const wallet = `query($c: ID!) { _entities(representations: [{ __typename: "Customer", id: $c }]) { ... on Customer { wallet { balance { amount } } } } }`;
    const engagement = graph.graph.subgraphs.engagement!.url;
    const headers = await graph.subgraphHeaders(token);
    const post = (c: string) =>
      fetch(engagement, {
        method: 'POST',
        headers,
        body: JSON.stringify({ query: wallet, variables: { c } }),
      }).then((response) => response.json() as Promise<any>);
    expect((await post(ids.a1!)).data._entities[0].wallet).toEqual({ balance: null });
  });
});

describe('background work', () => {
  it('still works across stores: the jobs pool is the owner, which row-level security does not confine', async () => {
    const jobs = connect({ url: graph.databaseUrl, schema: {}, max: 1 });
    try {
      expect(storesOf(await rows(jobs.orm, 'select store_id from customer.customers'))).toEqual([a.id, b.id].sort());
    } finally {
      await jobs.close();
    }
    // The consumers (on the jobs pool) keep both stores' projections.
    await a.recordOrder({ customerId: ids.a1, unitPrice: 100 });
    await b.recordOrder({ customerId: ids.b1, unitPrice: 100 });
    await eventually(async () => {
      const metrics = await rows(
        customerDb.orm,
        `select store_id from customer.customer_metrics where order_count = 1`,
      );
      expect(storesOf(metrics)).toEqual([a.id, b.id].sort());
    });
  });
});
