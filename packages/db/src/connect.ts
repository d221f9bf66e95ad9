import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import { isFramingStatement } from './request-transaction.ts';

export interface Database<TSchema extends Record<string, unknown> = Record<string, unknown>> {
  orm: PostgresJsDatabase<TSchema>;
  sql: postgres.Sql;
  /**
   * Statements sent to the server since start; tests compare it before and after a request.
   * Framing is not counted: BEGIN, COMMIT, ROLLBACK, SAVEPOINT and a request's scope statement
   * (request-transaction.ts), so the count is what resolvers send, whether or not in a transaction.
   */
  readonly statementCount: number;
  /** The statements (text and parameters) sent while `work` runs, without framing; tests EXPLAIN them. */
  captureStatements(work: () => Promise<unknown>): Promise<CapturedStatement[]>;
  close(): Promise<void>;
}

/** A database or a transaction on it, of any schema: work that takes one runs in whatever its caller holds. */
export type Tx = PgDatabase<any, any, any>;

export interface CapturedStatement {
  query: string;
  parameters: unknown[];
}

export interface ConnectOptions<TSchema extends Record<string, unknown>> {
  url: string;
  schema: TSchema;
  /** Connection pool size per process. */
  max?: number;
  applicationName?: string;
}

export function connect<TSchema extends Record<string, unknown>>(options: ConnectOptions<TSchema>): Database<TSchema> {
  let statementCount = 0;
  const captures = new Set<CapturedStatement[]>();
  const sql = postgres(options.url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // No per-connection type lookup: statement counts then depend only on the requests.
    fetch_types: false,
    connection: {
      application_name: options.applicationName ?? 'customer-graph',
      TimeZone: 'UTC',
      // Stores differ in size by orders of magnitude: a generic plan cached for one store's
      // parameters walked the wrong index for another's (README, "A prefix search...").
      plan_cache_mode: 'force_custom_plan',
    },
    debug: (_connection, query, parameters) => {
      if (isFramingStatement(query)) return;
      statementCount += 1;
      for (const capture of captures) capture.push({ query, parameters });
    },
  });
  const orm = drizzle(namedStatements(sql), { schema: options.schema });
  return {
    orm,
    sql,
    get statementCount() {
      return statementCount;
    },
    async captureStatements(work) {
      const captured: CapturedStatement[] = [];
      captures.add(captured);
      try {
        await work();
      } finally {
        captures.delete(captured);
      }
      return captured;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}

/**
 * drizzle asks postgres.js for unnamed statements, which it sends with parameters only after a
 * round trip that describes them. Named, a statement is described once per connection and then
 * only bound and executed, one message in the pipeline. The set of statement texts is the code's.
 */
function namedStatements(sql: postgres.Sql): postgres.Sql {
  const unsafe: postgres.Sql['unsafe'] = (query, parameters, options) =>
    sql.unsafe(query, parameters, { ...options, prepare: true });
  return new Proxy(sql, {
    get: (target, property, receiver) => (property === 'unsafe' ? unsafe : Reflect.get(target, property, receiver)),
  });
}
