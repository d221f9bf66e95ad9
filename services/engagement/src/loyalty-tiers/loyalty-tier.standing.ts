import { sql, type SQL } from 'drizzle-orm';
import { loyaltyEntries } from '../db/schema.ts';

/** The rolling window a tier's threshold counts over. */
const TIER_WINDOW = sql`interval '12 months'`;
/** How long a tier is held once reached, before it is reviewed. */
export const TIER_PERIOD = sql`interval '12 months'`;

/**
 * What a customer's rolling 12 months up to `at` count towards a tier, in both bases: the points
 * their orders placed in the window earned, less what those orders' reversals took back (a
 * shortfall counts as taken), and the amounts the points were earned on, less the same share.
 * Bonuses and adjustments do not count: tiers reward purchases. One row, for a lateral join.
 */
export function qualifyingSql(storeId: SQL, customerId: SQL, at: SQL): SQL {
  return sql`(
    select coalesce(sum(e.points - coalesce(r.reversed, 0)), 0)::bigint as points,
      coalesce(sum(((e.rule->>'amount')::bigint * (e.points - coalesce(r.reversed, 0))) / e.points), 0)::bigint as amount
    from ${loyaltyEntries} e
    left join lateral (
      select sum(x.shortfall - x.points) as reversed from ${loyaltyEntries} x
      where x.store_id = e.store_id and x.order_id = e.order_id and x.kind = 'reversed'
    ) r on true
    where e.store_id = ${storeId} and e.customer_id = ${customerId} and e.kind = 'earned'
      and (e.rule->>'placedAt')::timestamptz > ${at} - ${TIER_WINDOW}
      and (e.rule->>'placedAt')::timestamptz <= ${at}
  )`;
}

export interface TierLadderStep {
  id: string;
  name: string;
  threshold: number;
}

/** The highest tier `value` reaches on a ladder sorted by threshold, lowest first. */
export function tierReached<T extends TierLadderStep>(ladder: readonly T[], value: number): T | undefined {
  let reached: T | undefined;
  for (const step of ladder) if (step.threshold <= value) reached = step;
  return reached;
}

/** The tier after `current` on the ladder (the lowest when there is none yet). */
export function tierAfter<T extends TierLadderStep>(ladder: readonly T[], current: T | undefined): T | undefined {
  if (!current) return ladder[0];
  return ladder.find((step) => step.threshold > current.threshold);
}
