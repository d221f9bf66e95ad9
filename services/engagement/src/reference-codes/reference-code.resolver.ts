import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Caller, Internal, PageArgs, Shopper } from '@cg/subgraph';
import type { ReferenceCodeRow, ReferenceCodeUseRow } from '../db/schema.ts';
import type { EngagementContext } from '../context.ts';
import { Customer, type CustomerRef } from '../customers/customer.type.ts';
import { ReferenceCodeStatus, ReferenceRewardBeneficiary, ReferenceRewardKind } from './reference-code.enum.ts';
import {
  CreateReferenceCodeInput,
  ReferenceCodeFilter,
  UpdateReferenceCodeInput,
  UseReferenceCodeInput,
} from './reference-code.inputs.ts';
import {
  ReferenceCode,
  ReferenceCodeAccess,
  ReferenceCodeConnection,
  ReferenceCodeDashboard,
  ReferenceCodeGrantedReward,
  ReferenceCodeReward,
  ReferenceCodeStatusChange,
  ReferenceCodeUse,
} from './reference-code.type.ts';
import { referenceCodeDashboard } from './reference-code.dashboard.ts';

@Resolver(() => ReferenceCode)
export class ReferenceCodeResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => ReferenceCodeConnection, {
    description: "The store's reference codes (E8), newest first, by type, status and a code or name prefix.",
  })
  referenceCodes(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => ReferenceCodeFilter, { nullable: true }) filter: ReferenceCodeFilter | null,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.referenceCodes.list({ ...page, filter });
  }

  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => ReferenceCode, { nullable: true })
  referenceCode(@Arg('id', () => ID) id: string, @Ctx() ctx: EngagementContext) {
    return ctx.referenceCodes.get(id);
  }

  @Authorized(StaffAction.REFERENCE_CODES_MANAGE)
  @Mutation(() => ReferenceCode, {
    description:
      'Creates a reference code (E8); without a code, one is made. A code the store has (any case): CONFLICT (DUPLICATE_CODE).',
  })
  createReferenceCode(
    @Arg('input', () => CreateReferenceCodeInput) input: CreateReferenceCodeInput,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.referenceCodes.create(input);
  }

  @Authorized(StaffAction.REFERENCE_CODES_MANAGE)
  @Mutation(() => ReferenceCode, {
    description: "Edits a code's general settings (E8); an expired code: CONFLICT (CODE_EXPIRED).",
  })
  updateReferenceCode(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateReferenceCodeInput) input: UpdateReferenceCodeInput,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.referenceCodes.update(id, input);
  }

  @Authorized(StaffAction.REFERENCE_CODES_MANAGE)
  @Mutation(() => ReferenceCode, {
    description: '"Stop validity" (E8): uses are refused until resumed. CONFLICT: ALREADY_STOPPED, CODE_EXPIRED.',
  })
  stopReferenceCode(@Arg('id', () => ID) id: string, @Ctx() ctx: EngagementContext) {
    return ctx.referenceCodes.stop(id);
  }

  @Authorized(StaffAction.REFERENCE_CODES_MANAGE)
  @Mutation(() => ReferenceCode, {
    description: 'Undoes a stop (E8). CONFLICT: NOT_STOPPED, CODE_EXPIRED.',
  })
  resumeReferenceCode(@Arg('id', () => ID) id: string, @Ctx() ctx: EngagementContext) {
    return ctx.referenceCodes.resume(id);
  }

  @Authorized(StaffAction.REFERENCE_CODES_MANAGE)
  @Mutation(() => ReferenceCode, { description: '"Expire" (E8): final. An expired code: CONFLICT (CODE_EXPIRED).' })
  expireReferenceCode(@Arg('id', () => ID) id: string, @Ctx() ctx: EngagementContext) {
    return ctx.referenceCodes.expire(id);
  }

  @Shopper()
  @FieldResolver(() => ReferenceCodeStatus)
  status(@Root() code: ReferenceCodeRow, @Ctx() ctx: EngagementContext) {
    return ctx.referenceCodes.statusOf(code);
  }

  @Internal(null)
  @FieldResolver(() => Customer, { nullable: true, description: 'USER codes: the referring customer who owns it.' })
  owner(@Root() code: ReferenceCodeRow): CustomerRef | null {
    return code.ownerId ? { id: code.ownerId } : null;
  }

  @Internal([])
  @FieldResolver(() => [ReferenceCodeStatusChange], {
    description: 'Its lifecycle actions (created, stopped, resumed, expired), oldest first, with when and by whom.',
  })
  statusHistory(@Root() code: ReferenceCodeRow, @Ctx() ctx: EngagementContext) {
    return ctx.referenceCodes.statusHistory(code);
  }

  @Internal(null)
  @FieldResolver(() => ReferenceCodeDashboard, {
    nullable: true,
    description:
      'E10: figures and a daily series over [from, to] (YYYY-MM-DD days in the store’s time zone, at most 366; default the last 30 days).',
  })
  dashboard(
    @Root() code: ReferenceCodeRow,
    @Arg('from', () => String, { nullable: true }) from: string | null,
    @Arg('to', () => String, { nullable: true }) to: string | null,
    @Ctx() ctx: EngagementContext,
  ) {
    return referenceCodeDashboard(ctx.referenceCodes, code, { from, to });
  }
}

@Resolver(() => ReferenceCodeUse)
export class ReferenceCodeUseResolver {
  @Authorized(StaffAction.ORDERS_MANAGE, Caller.CUSTOMER)
  @Mutation(() => ReferenceCodeUse, {
    description:
      'A customer uses a code (E8), at registration or order intake; a customer token for itself only. ' +
      'Refused (CONFLICT with reason): CODE_NOT_STARTED, CODE_STOPPED, CODE_EXPIRED, CODE_EXHAUSTED, ' +
      'PER_CUSTOMER_LIMIT, SELF_REFERRAL, ALREADY_REFERRED, and a failed rule of the code (E9; `extensions.rule` names it): ' +
      'RULE_CUSTOMER, RULE_NEW_CUSTOMERS_ONLY, RULE_TIER, RULE_PLATFORM; an unknown code: BAD_USER_INPUT on input.code.',
  })
  useReferenceCode(
    @Arg('input', () => UseReferenceCodeInput) input: UseReferenceCodeInput,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.referenceCodes.use(input);
  }

  @Authorized(Caller.GUEST, Caller.CUSTOMER)
  @Mutation(() => ReferenceCodeAccess, {
    description: "Records a visit through a code's link (E8), from a storefront (guest or customer token).",
  })
  recordReferenceCodeAccess(@Arg('code', () => String) code: string, @Ctx() ctx: EngagementContext) {
    return ctx.referenceCodes.recordAccess(code);
  }

  @Shopper()
  @FieldResolver(() => ReferenceCode, { nullable: true })
  code(@Root() use: ReferenceCodeUseRow, @Ctx() ctx: EngagementContext) {
    return ctx.referenceCodes.load(use.codeId);
  }

  @Shopper()
  @FieldResolver(() => Customer, { description: 'The referee.' })
  customer(@Root() use: ReferenceCodeUseRow): CustomerRef {
    return { id: use.customerId };
  }

  @Internal(null)
  @FieldResolver(() => Customer, { nullable: true, description: "USER codes: the referrer, the code's owner." })
  referrer(@Root() use: ReferenceCodeUseRow): CustomerRef | null {
    return use.referrerId ? { id: use.referrerId } : null;
  }

  @Shopper()
  @FieldResolver(() => ReferenceCodeReward, {
    nullable: true,
    description:
      "E9: the referee's discount this use is owed (the code's DISCOUNT reward, on the customer's first use of it), for order intake to take off the order it names, or, used at registration, the customer's next order; null for none.",
  })
  discount(@Root() use: ReferenceCodeUseRow) {
    return (
      use.rewards.find(
        (reward) =>
          reward.beneficiary === ReferenceRewardBeneficiary.REFEREE && reward.kind === ReferenceRewardKind.DISCOUNT,
      ) ?? null
    );
  }

  @Internal([])
  @FieldResolver(() => [ReferenceCodeGrantedReward], {
    description:
      'E9: the rewards it granted once its order counted (referee and referrer), and whether reversed since.',
  })
  rewards(@Root() use: ReferenceCodeUseRow, @Ctx() ctx: EngagementContext) {
    return ctx.referenceCodes.grantedRewards(use.id);
  }
}

@Resolver(() => Customer)
export class CustomerReferenceCodesResolver {
  @Shopper()
  @Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER)
  @FieldResolver(() => ReferenceCodeConnection, {
    description: 'The USER codes the customer owns, to refer others with (E8), newest first.',
  })
  referenceCodes(@Root() customer: CustomerRef, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: EngagementContext) {
    return ctx.referenceCodes.owned(customer.id, page);
  }

  @Shopper()
  @Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER)
  @FieldResolver(() => ReferenceCodeUse, {
    nullable: true,
    description: 'The use of a reference code that referred the customer (E8): once per store.',
  })
  referredBy(@Root() customer: CustomerRef, @Ctx() ctx: EngagementContext) {
    return ctx.referenceCodes.referredBy(customer.id);
  }
}
