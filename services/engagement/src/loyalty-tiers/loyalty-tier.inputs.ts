import { Field, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { LoyaltyTierBasis } from './loyalty-tier.enum.ts';

@InputType()
export class LoyaltyTierInput {
  @Field(() => String) name!: string;
  @Field(() => Int, { description: 'At least 0; one tier per threshold.' }) threshold!: number;
}

@InputType({
  description:
    "E3: the store's tiers, as a whole. A tier keeps its id while its name stays; customers of a removed tier move at their next review.",
})
export class UpdateLoyaltyTiersInput {
  @Field(() => LoyaltyTierBasis) basis!: LoyaltyTierBasis;
  @Field(() => [LoyaltyTierInput], { description: 'At most 20.' }) tiers!: LoyaltyTierInput[];
}

const MAX_TIERS = 20;

export const updateLoyaltyTiersSchema = z.object({
  basis: z.enum(LoyaltyTierBasis),
  tiers: z
    .array(
      z.object({
        name: zx.text(100),
        threshold: z.number().int().min(0, 'must not be negative').max(2_000_000_000),
      }),
    )
    .max(MAX_TIERS, `must have at most ${MAX_TIERS} tiers`)
    .superRefine((tiers, ctx) => {
      const names = new Set<string>();
      const thresholds = new Set<number>();
      tiers.forEach((tier, index) => {
        const name = tier.name.toLowerCase();
        if (names.has(name)) ctx.addIssue({ code: 'custom', path: [index, 'name'], message: 'must be unique' });
        if (thresholds.has(tier.threshold))
          ctx.addIssue({ code: 'custom', path: [index, 'threshold'], message: 'must be unique' });
        names.add(name);
        thresholds.add(tier.threshold);
      });
    }),
});
