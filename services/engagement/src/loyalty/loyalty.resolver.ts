import { Arg, Args, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { PageArgs, Shopper } from '@cg/subgraph';
import type { LoyaltyEntryRow, LoyaltyProgramRow } from '../db/schema.ts';
import type { EngagementContext } from '../context.ts';
import { Customer, type CustomerRef } from '../customers/customer.type.ts';
import {
  CustomerLoyalty,
  LoyaltyChangePayload,
  LoyaltyEntry,
  LoyaltyEntryConnection,
  LoyaltyProgram,
  LoyaltyRate,
  LoyaltyRuleSnapshot,
  type LoyaltyRef,
} from './loyalty.type.ts';
import { AdjustLoyaltyPointsInput, RedeemLoyaltyPointsInput, UpdateLoyaltyProgramInput } from './loyalty.inputs.ts';

@Resolver(() => Customer)
export class CustomerLoyaltyFieldResolver {
  @Shopper()
  @FieldResolver(() => CustomerLoyalty, {
    nullable: true,
    description: "The customer's loyalty points and their ledger (E4).",
  })
  loyalty(@Root() customer: CustomerRef, @Ctx() ctx: EngagementContext): LoyaltyRef {
    return ctx.loyalty.forCustomer(customer.id);
  }
}

@Resolver(() => CustomerLoyalty)
export class CustomerLoyaltyResolver {
  @Shopper()
  @FieldResolver(() => Int, { description: 'Spendable now; never below zero.' })
  async points(@Root() loyalty: LoyaltyRef, @Ctx() ctx: EngagementContext) {
    return (await ctx.loyalty.state(loyalty)).points;
  }

  @Shopper()
  @FieldResolver(() => Int, { description: 'Earned by orders still inside their return window.' })
  async pendingPoints(@Root() loyalty: LoyaltyRef, @Ctx() ctx: EngagementContext) {
    return (await ctx.loyalty.state(loyalty)).pendingPoints;
  }

  @Shopper()
  @FieldResolver(() => LoyaltyEntryConnection, {
    description: 'Newest first. Its points always sum to `points` + `pendingPoints`.',
  })
  entries(@Root() loyalty: LoyaltyRef, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: EngagementContext) {
    return ctx.loyalty.entries(loyalty, page);
  }
}

@Resolver(() => LoyaltyProgram)
export class LoyaltyProgramResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => LoyaltyProgram, { nullable: true, description: "The store's loyalty program (E3); null until set." })
  loyaltyProgram(@Ctx() ctx: EngagementContext) {
    return ctx.loyalty.program();
  }

  // No action of its own yet: changing how points are earned is a loyalty change, as adjusting them is.
  @Authorized(StaffAction.LOYALTY_ADJUST)
  @Mutation(() => LoyaltyProgram, {
    description: "Sets the store's loyalty program (E3); points already earned keep the rule that earned them.",
  })
  updateLoyaltyProgram(
    @Arg('input', () => UpdateLoyaltyProgramInput) input: UpdateLoyaltyProgramInput,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.loyalty.updateProgram(input);
  }

  @FieldResolver(() => LoyaltyRate)
  rate(@Root() program: LoyaltyProgramRow): LoyaltyRate {
    return { points: program.ratePoints, perMinorUnits: program.ratePerMinorUnits };
  }
}

@Resolver(() => LoyaltyEntry)
export class LoyaltyEntryResolver {
  @Authorized(StaffAction.LOYALTY_ADJUST)
  @Mutation(() => LoyaltyChangePayload, {
    description:
      "Adds to (positive) or deducts from (negative) a customer's spendable points, with a reason (E4); never below zero.",
  })
  adjustLoyaltyPoints(
    @Arg('input', () => AdjustLoyaltyPointsInput) input: AdjustLoyaltyPointsInput,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.loyalty.adjust(input);
  }

  @Authorized(StaffAction.LOYALTY_ADJUST)
  @Mutation(() => LoyaltyChangePayload, {
    description:
      "Spends a customer's points (E4). Not enough spendable points: CONFLICT with extensions.reason INSUFFICIENT_POINTS.",
  })
  redeemLoyaltyPoints(
    @Arg('input', () => RedeemLoyaltyPointsInput) input: RedeemLoyaltyPointsInput,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.loyalty.redeem(input);
  }

  @Shopper()
  @FieldResolver(() => LoyaltyRuleSnapshot, { nullable: true, description: 'EARNED only: the rule that earned it.' })
  rule(@Root() entry: LoyaltyEntryRow): LoyaltyRuleSnapshot | null {
    const rule = entry.rule;
    if (!rule) return null;
    return {
      programVersion: rule.programVersion,
      rate: { points: rule.points, perMinorUnits: rule.perMinorUnits },
      rounding: rule.rounding,
      pendingDays: rule.pendingDays,
      expiryMonths: rule.expiryMonths ?? null,
      amount: rule.amount,
      currency: rule.currency,
      units: rule.units,
      cancelledUnits: rule.cancelledUnits ?? 0,
      skus: rule.skus,
    };
  }

  @Shopper()
  @FieldResolver(() => Int, { description: 'EARNED: the part not yet spendable; zero once `availableAt` has passed.' })
  pending(@Root() entry: LoyaltyEntryRow): number {
    const due = entry.availableAt !== null && entry.availableAt.getTime() <= Date.now();
    return due ? 0 : entry.pending;
  }

  @Shopper()
  @FieldResolver(() => Customer)
  customer(@Root() entry: LoyaltyEntryRow): CustomerRef {
    return { id: entry.customerId };
  }
}
