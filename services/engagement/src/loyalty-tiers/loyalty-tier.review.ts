import { and, asc, eq, sql } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import { loyaltyAccounts, loyaltyPrograms, loyaltyTiers } from '../db/schema.ts';
import { announceAccount } from '../loyalty/loyalty.events.ts';
import { qualifyingSql, tierReached, TIER_PERIOD } from './loyalty-tier.standing.ts';

/**
 * E3: moves a customer's tier as their rolling 12 months up to `at` (default: now) say. Up at
 * once, to the highest tier reached, for a new 12-month period; down only when the period held
 * has ended, then to what the 12 months reach (the same tier renews its period). The caller holds
 * the account's lock (loyalty.ledger.ts' lockAccount). Returns whether the tier changed.
 */
export async function reviewTier(tx: Tx, storeId: string, customerId: string, at?: Date): Promise<boolean> {
  const ladder = await tx
    .select({ id: loyaltyTiers.id, name: loyaltyTiers.name, threshold: loyaltyTiers.threshold })
    .from(loyaltyTiers)
    .where(eq(loyaltyTiers.storeId, storeId))
    .orderBy(asc(loyaltyTiers.threshold));
  const clock = at ? sql`${at.toISOString()}::timestamptz` : sql`now()`;
  const [row] = (await tx.execute(sql`
    select a.tier_id, a.tier_until <= ${clock} as period_over, p.tier_basis, q.points, q.amount
    from ${loyaltyAccounts} a
    left join ${loyaltyPrograms} p on p.store_id = a.store_id
    cross join lateral ${qualifyingSql(sql`a.store_id`, sql`a.customer_id`, clock)} q
    where a.store_id = ${storeId} and a.customer_id = ${customerId}`)) as unknown as {
    tier_id: string | null;
    period_over: boolean | null;
    tier_basis: string | null;
    points: string;
    amount: string;
  }[];
  if (!row) return false;
  const value = Number(row.tier_basis === 'amount_spent' ? row.amount : row.points);
  const reached = tierReached(ladder, value);
  const held = ladder.find((step) => step.id === row.tier_id);
  const rank = (step: typeof held) => (step ? ladder.indexOf(step) : -1);
  const account = and(eq(loyaltyAccounts.storeId, storeId), eq(loyaltyAccounts.customerId, customerId));
  // To `step` (or off every tier) for a new period from `at`.
  const moveTo = async (step: typeof held) => {
    await tx
      .update(loyaltyAccounts)
      .set(
        step
          ? { tierId: step.id, tierSince: sql`${clock}`, tierUntil: sql`${clock} + ${TIER_PERIOD}` }
          : { tierId: null, tierSince: null, tierUntil: null },
      )
      .where(account);
    await announceAccount(tx, storeId, customerId);
  };
  // Up, or off a tier the store no longer has.
  if (rank(reached) > rank(held) || (!held && row.tier_id !== null)) {
    await moveTo(reached);
    return true;
  }
  if (!row.period_over || !held) return false;
  if (reached === held) {
    await tx
      .update(loyaltyAccounts)
      .set({ tierUntil: sql`${clock} + ${TIER_PERIOD}` })
      .where(account);
    return false;
  }
  await moveTo(reached);
  return true;
}
