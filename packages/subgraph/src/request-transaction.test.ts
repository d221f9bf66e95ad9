import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { GraphQLList, GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { ACCESS_HEADER, GATEWAY_HEADER, signAccess, signGatewayAssertion, signToken } from '@cg/auth';
import { connect, dropDatabase, ensureDatabase, withDatabase, type Database, type ScopedDatabase } from '@cg/db';
import { startSubgraph, type RunningSubgraph } from './subgraph.ts';
import type { BaseContext } from './context.ts';

// packages/testing declares this for its own copy of vitest; this package resolves the root's.
declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

/**
 * A subgraph whose resolvers forget the store filter on purpose, on a table that exists only in
 * this test: its migration runs, row-level security covers the new table without being told, and
 * every request runs in its own scoped transaction.
 */
type Ctx = BaseContext & { db: ScopedDatabase['orm'] };

const rowsOf = async (db: ScopedDatabase['orm'], query: ReturnType<typeof sql>) =>
  (await db.execute(query)) as unknown as Record<string, unknown>[];

const schema = new GraphQLSchema({
  query: new GraphQLObjectType<unknown, Ctx>({
    name: 'Query',
    fields: {
      notes: {
        type: new GraphQLList(GraphQLString),
        resolve: async (_, __, ctx) =>
          (await rowsOf(ctx.db, sql`select text from rls_probe.notes order by text`)).map((row) => row.text),
      },
      broken: { type: GraphQLString, resolve: async (_, __, ctx) => rowsOf(ctx.db, sql`select 1 / 0`) },
      // In flight long enough for its backend to be terminated under it.
      slow: { type: GraphQLString, resolve: async (_, __, ctx) => rowsOf(ctx.db, sql`select pg_sleep(30)`) },
    },
  }),
  mutation: new GraphQLObjectType<unknown, Ctx>({
    name: 'Mutation',
    fields: {
      write: {
        type: GraphQLString,
        args: {
          storeId: { type: new GraphQLNonNull(GraphQLString) },
          text: { type: new GraphQLNonNull(GraphQLString) },
        },
        resolve: (_, args: { storeId: string; text: string }, ctx) =>
          ctx.db.transaction(async (tx) => {
            await tx.execute(sql`insert into rls_probe.notes (store_id, text) values (${args.storeId}, ${args.text})`);
            return args.text;
          }),
      },
      broken: { type: GraphQLString, resolve: async (_, __, ctx) => rowsOf(ctx.db, sql`select 1 / 0`) },
    },
  }),
});

let folder: string;
let admin: Database['sql'];
let adminDb: Database;
let database: string;
let probe: RunningSubgraph;
const storeA = randomUUID();
const storeB = randomUUID();
let tokenA: string;
let assertionA: string;

async function request(query: string, token = tokenA): Promise<{ status: number; data?: any; errors?: any[] }> {
  const response = await fetch(probe.url, {
    method: 'POST',
    // The probe has no gateway nor customer subgraph in front of it: it signs their assertions itself.
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      [GATEWAY_HEADER]: await signGatewayAssertion(token, {}),
      [ACCESS_HEADER]: assertionA,
    },
    body: JSON.stringify({ query }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

const stored = async () =>
  (await probe.db.sql`select store_id, text from rls_probe.notes order by text`).map(
    (row) => `${row.store_id === storeA ? 'A' : 'B'}:${row.text}`,
  );

beforeAll(async () => {
  folder = mkdtempSync(join(tmpdir(), 'rls-probe-'));
  mkdirSync(join(folder, 'meta'));
  writeFileSync(
    join(folder, '0000_probe.sql'),
    'CREATE SCHEMA IF NOT EXISTS "rls_probe";\n--> statement-breakpoint\nCREATE TABLE "rls_probe"."notes" ("id" serial PRIMARY KEY, "store_id" uuid NOT NULL, "text" text NOT NULL);',
  );
  writeFileSync(
    join(folder, 'meta', '_journal.json'),
    JSON.stringify({
      version: '7',
      dialect: 'postgresql',
      entries: [{ idx: 0, version: '7', when: 1, tag: '0000_probe', breakpoints: true }],
    }),
  );
  const adminUrl = inject('adminDatabaseUrl');
  database = `cg_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await ensureDatabase(adminUrl, database);
  probe = await startSubgraph(
    {
      name: 'rls-probe',
      dbSchema: 'rls_probe',
      migrationsFolder: folder,
      tables: {},
      defaultPort: 0,
      personalData: [],
      buildSchema: async () => schema,
      createContext: (base, db): Ctx => ({ ...base, db: db.orm }),
    },
    { databaseUrl: withDatabase(adminUrl, database), background: false, poolSize: 2 },
  );
  adminDb = connect({ url: adminUrl, schema: {}, max: 1, applicationName: 'rls-probe-admin' });
  admin = adminDb.sql;
  await probe.db.sql`insert into rls_probe.notes (store_id, text) values (${storeA}, 'a1'), (${storeB}, 'b1')`;
  const userId = randomUUID();
  tokenA = await signToken({ kind: 'staff', userId, storeId: storeA });
  assertionA = await signAccess({ userId, storeId: storeA, actions: [], platform: false });
});

afterAll(async () => {
  await probe?.close();
  await adminDb?.close();
  if (database) await dropDatabase(inject('adminDatabaseUrl'), database);
  rmSync(folder, { recursive: true, force: true });
});

describe('a resolver that forgets the store filter', () => {
  it('returns nothing of another store, on a table nobody declared', async () => {
    expect(await request('{ notes }')).toEqual({ status: 200, data: { notes: ['a1'] } });
    expect(await stored()).toEqual(['A:a1', 'B:b1']);
  });

  it('cannot write into another store; its own write is visible to the very next request', async () => {
    const refused = await request(`mutation { write(storeId: "${storeB}", text: "b2") }`);
    expect(refused.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(await request(`mutation { write(storeId: "${storeA}", text: "a2") }`)).toEqual({
      status: 200,
      data: { write: 'a2' },
    });
    expect((await request('{ notes }')).data).toEqual({ notes: ['a1', 'a2'] });
    expect(await stored()).toEqual(['A:a1', 'A:a2', 'B:b1']);
  });
});

describe('the request transaction', () => {
  it('keeps a read-only response whose failing statement aborted the transaction', async () => {
    const response = await request('{ notes broken }');
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ notes: ['a1', 'a2'], broken: null });
    expect(response.errors).toHaveLength(1);
  });

  it('keeps the other fields of a read whose statements followed a failing one', async () => {
    // Resolvers run side by side: both statements are in the pipeline before the first one fails.
    const response = await request('{ first: broken notes second: broken again: notes }');
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ first: null, notes: ['a1', 'a2'], second: null, again: ['a1', 'a2'] });
    expect(response.errors?.map((error) => error.path)).toEqual([['first'], ['second']]);
  });

  it('keeps a write when a field after it fails, and commits it', async () => {
    const response = await request(`mutation { write(storeId: "${storeA}", text: "a3") broken }`);
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ write: 'a3', broken: null });
    expect(response.errors).toHaveLength(1);
    expect(await stored()).toEqual(['A:a1', 'A:a2', 'A:a3', 'B:b1']);
    await probe.db.sql`delete from rls_probe.notes where text = 'a3'`;
  });

  it('leaves pooled connections as the owner, with no scope, after requests', async () => {
    await Promise.all([request('{ notes }'), request('{ notes }'), request('{ notes }')]);
    const sessions = await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          probe.db
            .sql`select current_user as role, coalesce(current_setting('cg.store_id', true), '') as store, pg_sleep(0.05)`,
      ),
    );
    for (const [session] of sessions)
      expect(session).toMatchObject({ role: expect.not.stringMatching(/_request$/), store: '' });
  });
});

/** What a database restart does to a subgraph's connections, by application_name. */
const terminate = (applicationName: string) =>
  admin`select pg_terminate_backend(pid) from pg_stat_activity
         where datname = ${database} and application_name = ${applicationName}`;

async function health(): Promise<{ status: number; body: unknown }> {
  const response = await fetch(new URL('/health', probe.url));
  return { status: response.status, body: await response.json() };
}

describe('a lost database connection', () => {
  it('fails the field whose statement was in flight as retriable, and the next request succeeds', async () => {
    const pending = request('{ slow }');
    while (
      (
        await admin`select 1 from pg_stat_activity where datname = ${database} and query like '%pg_sleep(30)%' and pid <> pg_backend_pid()`
      ).length === 0
    )
      await new Promise((resolve) => setTimeout(resolve, 10));
    await terminate('rls-probe');

    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.data).toEqual({ slow: null });
    expect(response.errors).toEqual([
      {
        message: 'The database is unavailable; retry the request',
        locations: [{ line: 1, column: 3 }],
        path: ['slow'],
        extensions: { code: 'SERVICE_UNAVAILABLE', retriable: true },
      },
    ]);
    expect(await request('{ notes }')).toEqual({ status: 200, data: { notes: ['a1', 'a2'] } });

    // Idle connections terminated too: the pool reconnects by itself.
    await terminate('rls-probe');
    expect(await request('{ notes }')).toEqual({ status: 200, data: { notes: ['a1', 'a2'] } });
  });

  it('answers 503 on /health while the database refuses connections, 200 once it is back', async () => {
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', subgraph: 'rls-probe', database: true } });
    await admin.unsafe(`alter database "${database}" allow_connections false`);
    try {
      await terminate('rls-probe-health');
      expect(await health()).toEqual({
        status: 503,
        body: { status: 'unavailable', subgraph: 'rls-probe', database: false },
      });
    } finally {
      await admin.unsafe(`alter database "${database}" allow_connections true`);
    }
    expect(await health()).toEqual({ status: 200, body: { status: 'ok', subgraph: 'rls-probe', database: true } });
  });
});
