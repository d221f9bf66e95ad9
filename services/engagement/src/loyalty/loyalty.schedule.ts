import { sql } from 'drizzle-orm';
import type { ScheduledTask } from '@cg/events';
import type { EngagementDb } from '../context.ts';
import { loyaltyAccounts, loyaltyEntries, type tables } from '../db/schema.ts';
import { reviewTier } from '../loyalty-tiers/loyalty-tier.review.ts';
import { lockAccount } from './loyalty.ledger.ts';

/**
 * Brings every account with something due by `at` up to date: pending points whose return window
 * has closed become spendable, lots whose expiry has passed are written off (EXPIRED), and tiers
 * whose period has ended are reviewed (loyalty-tiers/). Reads and
 * writes already count both as soon as they are due; this writes the entries and moves the stored
 * figures, so that what other subgraphs are told of the points follows without a request.
 *
 * In batches of accounts, one transaction each; accounts a request holds are skipped (that
 * request settles them itself), so it never waits on traffic and several processes may run it.
 * Returns how many accounts it settled.
 */
export async function settleLoyaltyAccounts(
  db: EngagementDb,
  at: Date = new Date(),
  options: { batchSize?: number } = {},
): Promise<number> {
  const batchSize = options.batchSize ?? 500;
  const clock = sql`${at.toISOString()}::timestamptz`;
  let settled = 0;
  for (;;) {
    const count = await db.transaction(async (tx) => {
      const due = (await tx.execute(sql`
        select store_id::text, customer_id::text from ${loyaltyAccounts}
        where (store_id, customer_id) in (
          select store_id, customer_id from ${loyaltyEntries} where pending > 0 and available_at <= ${clock}
          union
          select store_id, customer_id from ${loyaltyEntries}
          where remaining > 0 and expires_at is not null and expires_at <= ${clock}
          union
          select store_id, customer_id from ${loyaltyAccounts} where tier_until <= ${clock})
        order by store_id, customer_id
        limit ${batchSize}
        for update skip locked`)) as unknown as { store_id: string; customer_id: string }[];
      for (const account of due) {
        await lockAccount(tx, account.store_id, account.customer_id, at);
        await reviewTier(tx, account.store_id, account.customer_id, at);
      }
      return due.length;
    });
    settled += count;
    if (count < batchSize) return settled;
  }
}

/**
 * E3/E4's clock work, hourly. A run settles what is due by the time it runs, not by its due time:
 * a run made up for after downtime settles everything due since.
 */
export const loyaltySchedule: ScheduledTask<typeof tables>[] = [
  {
    name: 'engagement:loyalty-hourly',
    pattern: '0 * * * *',
    catchUpHours: 2,
    run: async (db) => {
      await settleLoyaltyAccounts(db.orm);
    },
  },
];
