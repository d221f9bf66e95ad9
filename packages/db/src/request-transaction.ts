import { sql } from 'drizzle-orm';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { Database } from './connect.ts';
import { CUSTOMER_SETTING, STORE_SETTING } from './row-security.ts';

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
   * response must not then report those writes. A read-only request's failure is already in
   * its response, so it does not throw.
   */
  end(commit: boolean): Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A malformed id in a signed token owns nothing; the nil uuid is no row's id.
const NOBODY = '00000000-0000-0000-0000-000000000000';
const asUuid = (value: string) => (UUID.test(value) ? value : NOBODY);

/** One round trip: SET LOCAL ROLE and both settings, all undone when the transaction ends. */
const scopeStatement = (scope: RequestScope) =>
  sql`select set_config('role', ${scope.role}, true), set_config(${STORE_SETTING}, ${asUuid(scope.storeId)}, true), set_config(${CUSTOMER_SETTING}, ${scope.customerId === undefined ? '' : asUuid(scope.customerId)}, true)`;

/**
 * The statements that frame a request rather than answer it: transaction control and the scope
 * statement. Statement counts leave them out, so that they count what resolvers send.
 */
export function isFramingStatement(query: string): boolean {
  return /^\s*(begin|commit|rollback|savepoint|release|prepare transaction)\b/i.test(query) || query.startsWith("select set_config('role', $1, true)");
}

class Rollback extends Error {}

/**
 * Opens a transaction on one pooled connection for a whole request and scopes it. The caller must
 * call `end` (the HTTP server does, in a finally); until then the connection stays reserved.
 */
export function beginRequestTransaction<TSchema extends Record<string, unknown>>(
  db: Database<TSchema>,
  scope: RequestScope,
): Promise<RequestTransaction<TSchema>> {
  return new Promise((started, failedToStart) => {
    let finish!: (commit: boolean) => void;
    const finished = new Promise<boolean>((resolve) => (finish = resolve));
    let wrote = false;
    const done = db.orm.transaction(async (tx) => {
      await tx.execute(scopeStatement(scope));
      // Services write only inside db.transaction() (here a savepoint): that is how `end` knows.
      const savepoint = tx.transaction.bind(tx);
      tx.transaction = ((work) => {
        wrote = true;
        return savepoint(work);
      }) as typeof tx.transaction;
      // Same query API as the database; `transaction` nests, `$client` (unused) is absent.
      started({ db: { orm: tx as unknown as PostgresJsDatabase<TSchema> }, end });
      if (!(await finished)) throw new Rollback();
    });
    done.catch(failedToStart);

    async function end(commit: boolean): Promise<void> {
      finish(commit);
      try {
        await done;
      } catch (error) {
        if (error instanceof Rollback || !wrote) return;
        throw error;
      }
    }
  });
}
