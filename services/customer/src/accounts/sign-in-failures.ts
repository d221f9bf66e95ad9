import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import { contactHash } from '@cg/auth';
import { signInFailures } from '../db/schema/index.ts';

/** What failures of an email are counted under: its keyed hash, never the email itself. */
export const accountKey = (email: string) => contactHash('email', email.trim().toLowerCase());

/** One address whether it came as IPv4 or IPv4-mapped IPv6. */
export const clientAddress = (ip: string | undefined) =>
  ip?.trim().replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1') || null;

/**
 * Sign-ins of one account take turns (a transaction-scoped advisory lock), so that two wrong
 * passwords at once cannot both pass a count of N - 1.
 */
export async function lockAccount(tx: Tx, storeId: string, key: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`customer.sign-in:${storeId}:${key}`}, 0))`);
}

/**
 * Seconds until `limit` failures matching `which` are no longer all within the window, or null
 * when there are fewer: the limit-th newest failure is the one that has to age out.
 */
async function lockedFor(tx: Tx, which: SQL, limit: number, windowSeconds: number): Promise<number | null> {
  const failedAt = signInFailures.failedAt;
  const window = sql`make_interval(secs => ${windowSeconds})`;
  const [row] = await tx.execute<{ wait: number }>(sql`
    select ceil(extract(epoch from (${failedAt} + ${window} - now())))::int as wait
    from ${signInFailures}
    where ${which} and ${failedAt} > now() - ${window}
    order by ${failedAt} desc
    offset ${limit - 1} limit 1`);
  return row ? Math.max(1, row.wait) : null;
}

export interface FailureLimits {
  maxFailures: number;
  maxFailuresPerIp: number;
  windowSeconds: number;
}

/** The longer wait of the account's and the address's, or null when neither is over its limit. */
export async function retryAfter(
  tx: Tx,
  scope: { storeId: string; key: string; ip: string | null },
  limits: FailureLimits,
): Promise<number | null> {
  const store = eq(signInFailures.storeId, scope.storeId);
  const waits = [
    await lockedFor(
      tx,
      and(store, eq(signInFailures.accountKey, scope.key))!,
      limits.maxFailures,
      limits.windowSeconds,
    ),
    scope.ip
      ? await lockedFor(tx, and(store, eq(signInFailures.ip, scope.ip))!, limits.maxFailuresPerIp, limits.windowSeconds)
      : null,
  ].filter((wait) => wait !== null);
  return waits.length ? Math.max(...waits) : null;
}

export async function recordFailure(
  tx: Tx,
  failure: { storeId: string; key: string; ip: string | null; customerId: string | null },
): Promise<void> {
  await tx.insert(signInFailures).values({
    storeId: failure.storeId,
    accountKey: failure.key,
    ip: failure.ip,
    customerId: failure.customerId,
  });
}

/** A right password or a new one starts the account's count again; the address's stays. */
export async function clearFailures(tx: Tx, storeId: string, key: string | null, customerId: string): Promise<void> {
  await tx
    .delete(signInFailures)
    .where(
      and(
        eq(signInFailures.storeId, storeId),
        or(eq(signInFailures.customerId, customerId), key ? eq(signInFailures.accountKey, key) : undefined),
      ),
    );
}
