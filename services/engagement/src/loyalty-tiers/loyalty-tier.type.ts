import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Shopper } from '@cg/subgraph';
import { LoyaltyTierBasis } from './loyalty-tier.enum.ts';

registerEnumType(LoyaltyTierBasis, {
  name: 'LoyaltyTierBasis',
  description:
    'What tier thresholds count over the rolling 12 months: POINTS_EARNED by orders, or AMOUNT_SPENT (minor units) on them; less cancellations and returns (E3).',
});

@ObjectType({ description: 'E3: a tier of the loyalty program.' })
export class LoyaltyTier {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String)
  name!: string;
  @Shopper()
  @Field(() => Int, {
    description:
      "What the rolling 12 months must reach: points, or minor units of the store's currency, per the basis.",
  })
  threshold!: number;
}

@ObjectType({ description: "E3: the store's tiers, lowest first, and what their thresholds count." })
export class LoyaltyTiers {
  @Field(() => LoyaltyTierBasis)
  basis!: LoyaltyTierBasis;
  @Field(() => [LoyaltyTier])
  tiers!: LoyaltyTier[];
}

/** A customer's standing towards the tiers (what CustomerLoyalty's tier fields read). */
export interface TierStanding {
  basis: LoyaltyTierBasis;
  tier: LoyaltyTier | null;
  tierUntil: Date | null;
  nextTier: LoyaltyTier | null;
  /** The rolling 12 months, in the basis's unit. */
  qualifying: number;
}
