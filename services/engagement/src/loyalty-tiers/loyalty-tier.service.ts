import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { byKey, conflict, parseInput, zx, type BaseContext } from '@cg/subgraph';
import { loyaltyAccounts, loyaltyPrograms, loyaltyTiers } from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import type { EngagementDb } from '../context.ts';
import type { LoyaltyRef } from '../loyalty/loyalty.type.ts';
import { LoyaltyTierBasis } from './loyalty-tier.enum.ts';
import { updateLoyaltyTiersSchema, type UpdateLoyaltyTiersInput } from './loyalty-tier.inputs.ts';
import { qualifyingSql, tierAfter, tierReached } from './loyalty-tier.standing.ts';
import type { LoyaltyTier, LoyaltyTiers, TierStanding } from './loyalty-tier.type.ts';

/** Thresholds are moved out of the way through here while tiers swap them (below the check's upper end). */
const THRESHOLD_SHIFT = 3_000_000_000;

export class LoyaltyTierService {
  constructor(
    private readonly db: EngagementDb,
    private readonly ctx: BaseContext,
  ) {}

  /** The store's tiers, lowest first, and their basis; once per request. */
  ladder(): Promise<LoyaltyTiers> {
    return this.ctx.loaders
      .get<string, LoyaltyTiers>('loyaltyTierLadder', null, async (keys) => {
        const rows = await this.db
          .select({
            id: loyaltyTiers.id,
            name: loyaltyTiers.name,
            threshold: loyaltyTiers.threshold,
            basis: loyaltyPrograms.tierBasis,
          })
          .from(loyaltyTiers)
          .leftJoin(loyaltyPrograms, eq(loyaltyPrograms.storeId, loyaltyTiers.storeId))
          .where(eq(loyaltyTiers.storeId, this.ctx.storeId))
          .orderBy(asc(loyaltyTiers.threshold));
        const basis = (rows[0]?.basis ?? LoyaltyTierBasis.POINTS_EARNED) as LoyaltyTierBasis;
        const ladder = { basis, tiers: rows.map(({ id, name, threshold }) => ({ id, name, threshold })) };
        return keys.map(() => ladder);
      })
      .load('');
  }

  /**
   * A customer's tier as the rules have it now: the one held, or a higher one the rolling 12
   * months already reach (an upgrade is at once, whether or not a write has stored it yet). One
   * statement for every customer of the request, besides the ladder's.
   */
  async standing(loyalty: LoyaltyRef): Promise<TierStanding> {
    const ladder = await this.ladder();
    const found = zx.id.safeParse(loyalty.customerId).success
      ? await this.standingLoader().load(loyalty.customerId.toLowerCase())
      : undefined;
    const qualifying = Number(ladder.basis === LoyaltyTierBasis.AMOUNT_SPENT ? found?.amount : found?.points) || 0;
    const held = ladder.tiers.find((tier) => tier.id === found?.tierId);
    const reached = tierReached(ladder.tiers, qualifying);
    const tier = rankOf(ladder.tiers, reached) > rankOf(ladder.tiers, held) ? reached : held;
    return {
      basis: ladder.basis,
      tier: tier ?? null,
      tierUntil: tier && tier === held ? (found?.tierUntil ?? null) : null,
      nextTier: tierAfter(ladder.tiers, tier) ?? null,
      qualifying,
    };
  }

  private standingLoader() {
    return this.ctx.loaders.get<
      string,
      { tierId: string | null; tierUntil: Date | null; points: string; amount: string } | undefined
    >('loyaltyTierStanding', null, async (customerIds) => {
      const ids = `{${[...customerIds].join(',')}}`;
      const rows = (await this.db.execute(sql`
        select c.customer_id::text, a.tier_id::text, a.tier_until, q.points, q.amount
        from unnest(${ids}::uuid[]) as c(customer_id)
        left join ${loyaltyAccounts} a on a.store_id = ${this.ctx.storeId} and a.customer_id = c.customer_id
        cross join lateral ${qualifyingSql(sql`${this.ctx.storeId}::uuid`, sql`c.customer_id`, sql`now()`)} q`)) as unknown as {
        customer_id: string;
        tier_id: string | null;
        tier_until: string | null;
        points: string;
        amount: string;
      }[];
      return byKey(customerIds, rows, (row) => row.customer_id).map((row) =>
        row
          ? {
              tierId: row.tier_id,
              tierUntil: row.tier_until ? new Date(row.tier_until) : null,
              points: row.points,
              amount: row.amount,
            }
          : undefined,
      );
    });
  }

  /**
   * E3: sets the tiers as a whole. A tier named as before keeps its id (and its customers); a
   * removed tier's customers lose it now and are placed again at their next points change or
   * review. Customers are not re-placed here: a store's every account would be read.
   */
  async update(input: UpdateLoyaltyTiersInput): Promise<LoyaltyTiers> {
    const data = parseInput(updateLoyaltyTiersSchema, input, 'input');
    const { storeId } = this.ctx;
    await this.db.transaction(async (tx) => {
      const [program] = await tx
        .update(loyaltyPrograms)
        .set({ tierBasis: data.basis, updatedAt: new Date() })
        .where(eq(loyaltyPrograms.storeId, storeId))
        .returning({ storeId: loyaltyPrograms.storeId });
      if (!program) throw conflict('Set the loyalty program (updateLoyaltyProgram) before its tiers');
      const before = await tx
        .select({ id: loyaltyTiers.id, name: loyaltyTiers.name, threshold: loyaltyTiers.threshold })
        .from(loyaltyTiers)
        .where(eq(loyaltyTiers.storeId, storeId));
      const byName = new Map(before.map((tier) => [tier.name.toLowerCase(), tier]));
      const kept = data.tiers.flatMap((tier) => byName.get(tier.name.toLowerCase())?.id ?? []);
      const removed = before.filter((tier) => !kept.includes(tier.id)).map((tier) => tier.id);
      if (removed.length > 0) {
        await tx
          .update(loyaltyAccounts)
          .set({ tierId: null, tierSince: null, tierUntil: null })
          .where(and(eq(loyaltyAccounts.storeId, storeId), inArray(loyaltyAccounts.tierId, removed)));
        await tx.delete(loyaltyTiers).where(and(eq(loyaltyTiers.storeId, storeId), inArray(loyaltyTiers.id, removed)));
      }
      // Kept tiers may swap thresholds: out of the way first, so the unique index never sees two.
      if (kept.length > 0) {
        await tx
          .update(loyaltyTiers)
          .set({ threshold: sql`${loyaltyTiers.threshold} + ${THRESHOLD_SHIFT}` })
          .where(and(eq(loyaltyTiers.storeId, storeId), inArray(loyaltyTiers.id, kept)));
      }
      for (const tier of data.tiers) {
        const existing = byName.get(tier.name.toLowerCase());
        if (existing) {
          await tx
            .update(loyaltyTiers)
            .set({ name: tier.name, threshold: tier.threshold, updatedAt: new Date() })
            .where(and(eq(loyaltyTiers.storeId, storeId), eq(loyaltyTiers.id, existing.id)));
        } else {
          await tx.insert(loyaltyTiers).values({ storeId, name: tier.name, threshold: tier.threshold });
        }
      }
      await audit.record(tx, this.ctx, {
        action: 'loyalty_tiers.update',
        entityType: 'LoyaltyTiers',
        entityId: storeId,
        customerId: null,
        before: { tiers: before.map(({ name, threshold }) => ({ name, threshold })) },
        after: { basis: data.basis, tiers: data.tiers },
      });
    });
    const rows = await this.db
      .select({ id: loyaltyTiers.id, name: loyaltyTiers.name, threshold: loyaltyTiers.threshold })
      .from(loyaltyTiers)
      .where(eq(loyaltyTiers.storeId, storeId))
      .orderBy(asc(loyaltyTiers.threshold));
    return { basis: data.basis as LoyaltyTierBasis, tiers: rows };
  }
}

const rankOf = (ladder: readonly LoyaltyTier[], tier: LoyaltyTier | undefined) => (tier ? ladder.indexOf(tier) : -1);
