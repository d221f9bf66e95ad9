import net from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, inject } from 'vitest';
import { sql } from 'drizzle-orm';
import { connect, type Database } from './connect.ts';
import { isConnectionLoss } from './errors.ts';
import { beginRequestTransaction, type RequestScope } from './request-transaction.ts';

/**
 * A TCP relay to PostgreSQL that drops sessions the way a restart does, as their client writes a
 * BEGIN: the pool still holds the session and learns that it is gone only from the BEGIN.
 * (Terminating backends races the client noticing; this does not.)
 */
class SessionCutter {
  private readonly server: net.Server;
  private readonly pairs = new Set<[net.Socket, net.Socket]>();
  /** Sessions to drop at their next BEGIN; Infinity drops every one. */
  private cuts = 0;
  cutSessions = 0;
  /** What clients sent (latin1), while `recording`. */
  sent = '';
  recording = false;

  constructor(target: { host: string; port: number }) {
    this.server = net.createServer((client) => {
      const upstream = net.connect(target);
      const pair: [net.Socket, net.Socket] = [client, upstream];
      this.pairs.add(pair);
      const close = () => {
        this.pairs.delete(pair);
        client.destroy();
        upstream.destroy();
      };
      client.on('data', (chunk) => {
        if (this.cuts > 0 && /\bbegin\b/i.test(chunk.toString('latin1'))) {
          this.cuts -= 1;
          this.cutSessions += 1;
          close();
          return;
        }
        if (this.recording) this.sent += chunk.toString('latin1');
        upstream.write(chunk);
      });
      upstream.on('data', (chunk) => client.write(chunk));
      client.on('close', close).on('error', close);
      upstream.on('close', close).on('error', close);
    });
  }

  listen(): Promise<number> {
    return new Promise((resolve) =>
      this.server.listen(0, '127.0.0.1', () => resolve((this.server.address() as net.AddressInfo).port)),
    );
  }

  cutNext(sessions: number): void {
    this.cuts = sessions;
  }

  close(): Promise<void> {
    for (const [client, upstream] of this.pairs) {
      client.destroy();
      upstream.destroy();
    }
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const adminUrl = new URL(inject('adminDatabaseUrl'));
const cutter = new SessionCutter({ host: adminUrl.hostname, port: Number(adminUrl.port || 5432) });
let db: Database;
let scope: RequestScope;

beforeAll(async () => {
  const port = await cutter.listen();
  const relayed = new URL(adminUrl);
  relayed.hostname = '127.0.0.1';
  relayed.port = String(port);
  db = connect({
    url: relayed.toString(),
    schema: {},
    max: 1,
    applicationName: `request-transaction-${randomUUID().slice(0, 8)}`,
  });
  const [session] = await db.sql<{ role: string }[]>`select current_user as role`;
  scope = { role: session!.role, storeId: randomUUID() };
});

afterEach(() => cutter.cutNext(0));

afterAll(async () => {
  await db?.close();
  await cutter.close();
});

async function scopedStore(column = 'store'): Promise<string> {
  const transaction = await beginRequestTransaction(db, scope);
  try {
    const rows = await transaction.db.orm.execute<{ store: string }>(
      sql`select current_setting('cg.store_id', true) as ${sql.identifier(column)}, ${1}::int as one`,
    );
    return (rows[0] as Record<string, string>)[column]!;
  } finally {
    await transaction.end(false);
  }
}

describe('opening a request transaction', () => {
  it('opens it on a new session when the pooled one was lost before its BEGIN', async () => {
    expect(await scopedStore()).toBe(scope.storeId);
    cutter.cutNext(1);
    expect(await scopedStore()).toBe(scope.storeId);
    expect(cutter.cutSessions).toBe(1);
  });

  it('gives up with a connection loss after three lost sessions', async () => {
    const before = cutter.cutSessions;
    cutter.cutNext(Infinity);
    const error = await scopedStore().then(
      () => undefined,
      (failure: unknown) => failure,
    );
    expect(isConnectionLoss(error)).toBe(true);
    expect(cutter.cutSessions - before).toBe(3);
    cutter.cutNext(0);
    expect(await scopedStore()).toBe(scope.storeId);
  });
});

describe('statements of request transactions', () => {
  it('are parsed once per session and afterwards only bound and executed', async () => {
    const column = `store_${randomUUID().slice(0, 8)}`;
    cutter.sent = '';
    cutter.recording = true;
    try {
      for (let i = 0; i < 3; i += 1) expect(await scopedStore(column)).toBe(scope.storeId);
    } finally {
      cutter.recording = false;
    }
    // An unnamed statement carries its text in every request (Parse), after a round trip to describe it.
    expect(cutter.sent.split(column).length - 1).toBe(1);
    expect(cutter.sent.split("set_config('role'").length - 1).toBeLessThanOrEqual(1);
  });
});
