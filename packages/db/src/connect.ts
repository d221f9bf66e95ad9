import postgres from 'postgres';
import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';

export interface Database<TSchema extends Record<string, unknown> = Record<string, unknown>> {
  orm: PostgresJsDatabase<TSchema>;
  sql: postgres.Sql;
  /** Statements sent to the server since start; tests compare it before and after a request. */
  readonly statementCount: number;
  close(): Promise<void>;
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
  const sql = postgres(options.url, {
    max: options.max ?? 10,
    onnotice: () => {},
    // No per-connection type lookup: statement counts then depend only on the requests.
    fetch_types: false,
    connection: { application_name: options.applicationName ?? 'customer-graph', TimeZone: 'UTC' },
    debug: () => {
      statementCount += 1;
    },
  });
  const orm = drizzle(sql, { schema: options.schema });
  return {
    orm,
    sql,
    get statementCount() {
      return statementCount;
    },
    close: () => sql.end({ timeout: 5 }),
  };
}
