import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import postgres from 'postgres';
import { connect, type Database } from './connect.ts';
import { withDatabase } from './config.ts';
import { dropDatabase, ensureDatabase } from './migrate.ts';
import { isConnectionLoss } from './errors.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

/**
 * What a database restart, a failover or a pooler does to the pool: every backend terminated,
 * here by application_name so that only this file's connections go. The driver must settle every
 * statement with a catchable error (no exception from a timer that ends the process, no promise
 * left pending), never run a transaction's statements outside it, and reconnect by itself.
 */
const adminUrl = inject('adminDatabaseUrl');
const databaseName = `connection_loss_${randomUUID().slice(0, 8)}`;
const url = withDatabase(adminUrl, databaseName);
const applicationName = `connection-loss-${randomUUID().slice(0, 8)}`;
let admin: postgres.Sql;
let db: Database;

const terminateAll = async () => {
  const [row] = await admin<{ terminated: number }[]>`
    select count(*)::int as terminated
      from (select pg_terminate_backend(pid) from pg_stat_activity
             where application_name = ${applicationName} and pid <> pg_backend_pid()) as t`;
  return row!.terminated;
};

const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
};

beforeAll(async () => {
  await ensureDatabase(adminUrl, databaseName);
  admin = postgres(url, { max: 1, onnotice: () => {} });
  await admin`create table loss_probe (transaction_id int not null, step int not null)`;
  db = connect({ url, schema: {}, max: 6, applicationName });
});

afterAll(async () => {
  await db?.close();
  await admin?.end();
  await dropDatabase(adminUrl, databaseName);
});

describe('a lost connection', () => {
  it('rejects the transaction whose statement was in flight, and the pool answers again', async () => {
    let pid: number | undefined;
    const transaction = db.sql.begin(async (tx) => {
      const [row] = await tx<{ pid: number }[]>`select pg_backend_pid() as pid`;
      pid = row!.pid;
      await tx`select pg_sleep(30)`;
    });
    const settled = transaction.then(
      () => undefined,
      (error: unknown) => error,
    );
    await until(() => pid !== undefined);
    await admin`select pg_terminate_backend(${pid!})`;

    const error = await settled;
    expect(isConnectionLoss(error)).toBe(true);
    // The transaction's own ROLLBACK goes to the dead session from a setImmediate: a few more
    // turns of the event loop, then the pool serves the next statement on a new session.
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await db.sql`select 1 as one`).toEqual([{ one: 1 }]);
  });

  it('settles every transaction while every backend is terminated again and again, none half applied', async () => {
    const workers = 12;
    const cuts = 8;
    let next = 0;
    let stop = false;
    const committed: number[] = [];
    const failures: unknown[] = [];
    let pending = 0;

    const work = async () => {
      while (!stop) {
        const id = next++;
        pending += 1;
        try {
          await db.sql.begin(async (tx) => {
            await tx`insert into loss_probe values (${id}, 1)`;
            await tx`select pg_sleep(0.002)`;
            await Promise.all([tx`select 1`, tx`select 2`]);
            await tx`insert into loss_probe values (${id}, 2)`;
          });
          committed.push(id);
        } catch (error) {
          failures.push(error);
        } finally {
          pending -= 1;
        }
      }
    };
    const running = Array.from({ length: workers }, work);

    let terminated = 0;
    for (let cut = 0; cut < cuts; cut += 1) {
      const before = committed.length;
      await until(() => committed.length >= before + workers);
      terminated += await terminateAll();
    }
    const before = committed.length;
    await until(() => committed.length >= before + workers);
    stop = true;
    await Promise.all(running);

    expect(pending).toBe(0);
    expect(terminated).toBeGreaterThan(0);
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.filter((error) => !isConnectionLoss(error))).toEqual([]);

    // A statement of a dead transaction that ran on the pool's next session would have run
    // outside any transaction: a lone step 1 or step 2.
    const rows = await admin<{ transaction_id: number; steps: number }[]>`
      select transaction_id, count(*)::int as steps from loss_probe group by transaction_id`;
    expect(rows.filter((row) => row.steps !== 2)).toEqual([]);
    const present = new Set(rows.map((row) => row.transaction_id));
    expect(committed.filter((id) => !present.has(id))).toEqual([]);

    expect(await db.sql`select 1 as one`).toEqual([{ one: 1 }]);
  });
});

describe('a server out of connections', () => {
  it('refuses a new session as a connection problem the request may retry, not as its own fault', async () => {
    // A role allowed no session stands for a server whose connection slots are all taken.
    const role = `cg_full_${randomUUID().slice(0, 8)}`;
    await admin.unsafe(`create role ${role} login password 'full' connection limit 0`);
    const full = new URL(url);
    full.username = role;
    full.password = 'full';
    const refused = connect({ url: full.toString(), schema: {}, max: 1, applicationName });
    try {
      const error = await refused.sql`select 1`.then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect((error as { code?: string } | undefined)?.code).toBe('53300');
      expect(isConnectionLoss(error)).toBe(true);
    } finally {
      await refused.close();
      await admin.unsafe(`drop role ${role}`);
    }
  });
});
