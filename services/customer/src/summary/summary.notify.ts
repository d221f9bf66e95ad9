import { sql } from 'drizzle-orm';
import type { Tx } from '@cg/db';

/**
 * The PostgreSQL channel that says "the summary of this customer changed". Every gateway process
 * LISTENs on it (one connection each) and re-resolves the `customerSummaryUpdated` subscribers of
 * that customer through the supergraph (gateway/src/subscriptions/).
 */
export const SUMMARY_CHANNEL = 'customer_summary';

/** What a notification on {@link SUMMARY_CHANNEL} carries, as JSON. */
interface SummaryChange {
  storeId: string;
  customerId: string;
}

/**
 * Announces a change of a customer's summary from inside the transaction that makes it:
 * PostgreSQL delivers the notification at commit and drops it on rollback, so a subscriber never
 * hears of a change that did not happen nor reads the summary before the change is visible.
 * Identical notifications of one transaction are delivered once.
 */
export async function notifySummaryChanged(tx: Tx, storeId: string, customerId: string): Promise<void> {
  const change: SummaryChange = { storeId, customerId };
  await tx.execute(sql`select pg_notify(${SUMMARY_CHANNEL}, ${JSON.stringify(change)})`);
}
