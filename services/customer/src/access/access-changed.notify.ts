import { sql } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import type { CustomerDb } from '../context.ts';

/**
 * The PostgreSQL channel that says "what staff may do in this store changed". Every gateway
 * process LISTENs on it and drops the access assertions it keeps for that store
 * (gateway/src/access-cache.ts), so a changed role, membership or grant counts on every gateway
 * as soon as the notification arrives, and on the gateway that made the change from its next
 * request on.
 */
const ACCESS_CHANNEL = 'access_changed';

/** What a notification on {@link ACCESS_CHANNEL} carries, as JSON: a store, and the user or all of its staff. */
interface AccessChange {
  storeId: string;
  /** Absent when the change concerns every member of the store (a custom role's action set). */
  userId?: string;
}

/**
 * Announces a change of staff access from inside the transaction that makes it: PostgreSQL
 * delivers it at commit and drops it on rollback, so no gateway keeps an assertion the commit made
 * stale, and none drops one for a change that did not happen. Every write of staff members, staff
 * roles or access grants calls it.
 */
export async function notifyAccessChanged(tx: Tx | CustomerDb, storeId: string, userId?: string): Promise<void> {
  const change: AccessChange = userId === undefined ? { storeId } : { storeId, userId };
  await tx.execute(sql`select pg_notify(${ACCESS_CHANNEL}, ${JSON.stringify(change)})`);
}
