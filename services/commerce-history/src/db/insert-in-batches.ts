import { getTableColumns } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';

/**
 * PostgreSQL takes at most 65,535 parameters in a statement, and a bulk intake can need more
 * (1,000 orders of up to 500 lines each): rows go in as few statements as keep every statement
 * well under that, counting each of the table's columns as one parameter a row.
 */
const PARAMETERS_PER_STATEMENT = 30_000;

export async function insertInBatches<V, R>(
  table: PgTable,
  values: readonly V[],
  insert: (rows: V[]) => Promise<R[]>,
): Promise<R[]> {
  const perStatement = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / Object.keys(getTableColumns(table)).length));
  const results: R[] = [];
  for (let start = 0; start < values.length; start += perStatement) {
    results.push(...(await insert(values.slice(start, start + perStatement))));
  }
  return results;
}
