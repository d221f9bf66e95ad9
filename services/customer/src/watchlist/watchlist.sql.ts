import { sql, type SQL } from 'drizzle-orm';
import { customers, watchlist } from '../db/schema/index.ts';

/** Whether the listed customer is (or is not) on its store's watchlist; a primary-key probe per row. */
export function watchedCondition(watched: boolean): SQL {
  const probe = sql`select 1 from ${watchlist} where ${watchlist.storeId} = ${customers.storeId} and ${watchlist.customerId} = ${customers.id}`;
  return watched ? sql`exists (${probe})` : sql`not exists (${probe})`;
}
