import { sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { TransactionSql } from 'postgres';
import type { Database } from './connect.ts';
import { isLostSession } from './errors.ts';
import { CUSTOMER_SETTING, STORE_SETTING } from './row-security.ts';
import { recoveringClient } from './statement-recovery.ts';

/**
 * What a request's services get: the request's transaction, under the request role and scope.
 * Never the pool, whose connections are the tables' owner and bypass row-level security.
 */
export interface ScopedDatabase<TSchema extends Record<string, unknown> = Record<string, unknown>> {
  /** `orm.transaction()` opens a savepoint of the request transaction. */
  orm: PostgresJsDatabase<TSchema>;
}

export interface RequestScope {
  /** The subgraph's request role for the caller (`requestRole(schema, kind)`). */
  role: string;
  storeId: string;
  /** For customer tokens: the customer role's policies show only this customer's rows. */
  customerId?: string;
}

export interface RequestTransaction<TSchema extends Record<string, unknown>> {
  db: ScopedDatabase<TSchema>;
  /**
   * Commits, or rolls back when `commit` is false. Throws when the request wrote and PostgreSQL
   * could not commit (a statement outside a savepoint failed and aborted the transaction): the
   * response must not then report those writes. A read-only request does not wait for the
   * COMMIT and never throws: its failures are in its response already.
   */
  end(commit: boolean): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A malformed id in a signed token owns nothing; the nil uuid is no row's id.
const NOBODY = '00000000-0000-0000-0000-000000000000';
const asUuid = (value: string) => (UUID.test(value) ? value : NOBODY);

/** SET LOCAL ROLE and both settings in one statement, all undone when the transaction ends. */
const SCOPE_STATEMENT = "select set_config('role', $1, true), set_config($2, $3, true), set_config($4, $5, true)";
const scopeParameters = (scope: RequestScope) => [
  scope.role,
  STORE_SETTING,
  asUuid(scope.storeId),
  CUSTOMER_SETTING,
  scope.customerId === undefined ? '' : asUuid(scope.customerId),
];

/**
 * The statements that frame a request rather than answer it: transaction control and the scope
 * statement. Statement counts leave them out, so that they count what resolvers send.
 */
export function isFramingStatement(query: string): boolean {
  return (
    /^\s*(begin|commit|rollback|savepoint|release|prepare transaction)\b/i.test(query) || query === SCOPE_STATEMENT
  );
}

class Rollback extends Error {}

/**
 * A pool holds as many sessions a restart may have ended, unnoticed until a BEGIN is written to
 * them. Nothing of the request has run then: opening it again on the next session is safe.
 */
const BEGIN_ATTEMPTS = 3;

/**
 * Opens a transaction on one pooled connection for a whole request and scopes it. The caller must
 * call `end` (the HTTP server does, in a finally); until then the connection stays reserved.
 */
export async function beginRequestTransaction<TSchema extends Record<string, unknown>>(
  db: Database<TSchema>,
  scope: RequestScope,
): Promise<RequestTransaction<TSchema>> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await openRequestTransaction(db, scope);
    } catch (error) {
      if (attempt >= BEGIN_ATTEMPTS || !isLostSession(error)) throw error;
    }
  }
}

function openRequestTransaction<TSchema extends Record<string, unknown>>(
  db: Database<TSchema>,
  scope: RequestScope,
): Promise<RequestTransaction<TSchema>> {
  return new Promise((started, failedToStart) => {
    let finish!: (commit: boolean) => void;
    const finished = new Promise<boolean>((resolve) => (finish = resolve));
    let wrote = false;
    const done = db.orm.transaction(async (tx) => {
      // Not awaited: the first resolver statement follows it on the same connection, saving a
      // round trip. Should it fail, PostgreSQL refuses every later statement of the transaction.
      const session = tx._.session as unknown as { client: TransactionSql };
      // Named, so that it is described once per connection rather than in a round trip of its own.
      session.client.unsafe(SCOPE_STATEMENT, scopeParameters(scope), { prepare: true }).catch(() => {});
      // One field's failed statement must not fail the others: see statement-recovery.ts.
      const recovering = recoveringClient(session.client);
      recovering.checkpoint();
      session.client = recovering.client;
      // Services write only inside db.transaction() (here a savepoint): that is how `end` knows.
      const savepoint = tx.transaction.bind(tx);
      tx.transaction = (async (work) => {
        wrote = true;
        const result = await savepoint(work);
        recovering.checkpoint();
        return result;
      }) as typeof tx.transaction;
      // Same query API as the database; `transaction` nests, `$client` (unused) is absent.
      started({ db: { orm: tx as unknown as PostgresJsDatabase<TSchema> }, end });
      if (!(await finished)) throw new Rollback();
    });
    done.catch(failedToStart);

    async function end(commit: boolean): Promise<void> {
      finish(commit);
      // A read-only request has nothing for a later request to see: its response need not wait
      // for COMMIT, a round trip. Its failures are in its response already.
      if (!wrote) {
        done.catch(() => {});
        return;
      }
      try {
        await done;
      } catch (error) {
        if (!(error instanceof Rollback)) throw error;
      }
    }
  });
}

/**
 * Runs `work` with the request transaction scoped to another store, then back to `returnTo`. For
 * the one request that acts in several stores, after the application has checked that it may
 * (shared access granted by an owner of each): row-level security still holds every statement to
 * one store at a time.
 */
export async function inStoreScope<T>(
  orm: PostgresJsDatabase<any>,
  storeId: string,
  returnTo: string,
  work: () => Promise<T>,
): Promise<T> {
  await orm.execute(sql`select set_config(${STORE_SETTING}, ${asUuid(storeId)}, true)`);
  try {
    return await work();
  } finally {
    await orm.execute(sql`select set_config(${STORE_SETTING}, ${asUuid(returnTo)}, true)`);
  }
}
