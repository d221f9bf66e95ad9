import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Shopper } from '@cg/subgraph';
import type { EngagementContext } from '../context.ts';
import { CustomerLoyalty, type LoyaltyRef } from '../loyalty/loyalty.type.ts';
import { LoyaltyTierBasis } from './loyalty-tier.enum.ts';
import { UpdateLoyaltyTiersInput } from './loyalty-tier.inputs.ts';
import { LoyaltyTier, LoyaltyTiers } from './loyalty-tier.type.ts';

@Resolver(() => LoyaltyTiers)
export class LoyaltyTiersResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => LoyaltyTiers, { description: "The store's loyalty tiers (E3), lowest first." })
  loyaltyTiers(@Ctx() ctx: EngagementContext) {
    return ctx.loyaltyTiers.ladder();
  }

  @Authorized(StaffAction.LOYALTY_ADJUST)
  @Mutation(() => LoyaltyTiers, { description: "Sets the store's loyalty tiers as a whole (E3)." })
  updateLoyaltyTiers(
    @Arg('input', () => UpdateLoyaltyTiersInput) input: UpdateLoyaltyTiersInput,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.loyaltyTiers.update(input);
  }
}

@Resolver(() => CustomerLoyalty)
export class CustomerLoyaltyTierResolver {
  @Shopper()
  @FieldResolver(() => LoyaltyTier, {
    nullable: true,
    description: 'The tier held: reached at once, kept until the end of its 12-month period (E3); null: none.',
  })
  async tier(@Root() loyalty: LoyaltyRef, @Ctx() ctx: EngagementContext) {
    return (await ctx.loyaltyTiers.standing(loyalty)).tier;
  }

  @Shopper()
  @FieldResolver(() => Date, {
    nullable: true,
    description: 'When the tier is reviewed: it may go down then, to what the rolling 12 months reach.',
  })
  async tierUntil(@Root() loyalty: LoyaltyRef, @Ctx() ctx: EngagementContext) {
    return (await ctx.loyaltyTiers.standing(loyalty)).tierUntil;
  }

  @Shopper()
  @FieldResolver(() => LoyaltyTier, { nullable: true, description: 'The tier above; null at the top.' })
  async nextTier(@Root() loyalty: LoyaltyRef, @Ctx() ctx: EngagementContext) {
    return (await ctx.loyaltyTiers.standing(loyalty)).nextTier;
  }

  @Shopper()
  @FieldResolver(() => Int, {
    description: "What the rolling 12 months count towards the tiers, in the basis's unit (points or minor units).",
  })
  async tierQualifying(@Root() loyalty: LoyaltyRef, @Ctx() ctx: EngagementContext) {
    return (await ctx.loyaltyTiers.standing(loyalty)).qualifying;
  }

  @Shopper()
  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Points still to earn for the next tier; null at the top, or when tiers count the amount spent.',
  })
  async pointsToNextTier(@Root() loyalty: LoyaltyRef, @Ctx() ctx: EngagementContext) {
    const standing = await ctx.loyaltyTiers.standing(loyalty);
    if (!standing.nextTier || standing.basis !== LoyaltyTierBasis.POINTS_EARNED) return null;
    return Math.max(0, standing.nextTier.threshold - standing.qualifying);
  }

  @Shopper()
  @FieldResolver(() => Int, {
    nullable: true,
    description: 'Minor units still to spend for the next tier; null at the top, or when tiers count points.',
  })
  async spendToNextTier(@Root() loyalty: LoyaltyRef, @Ctx() ctx: EngagementContext) {
    const standing = await ctx.loyaltyTiers.standing(loyalty);
    if (!standing.nextTier || standing.basis !== LoyaltyTierBasis.AMOUNT_SPENT) return null;
    return Math.max(0, standing.nextTier.threshold - standing.qualifying);
  }
}
