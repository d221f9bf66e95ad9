import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Money, money, PageArgs, Shopper } from '@cg/subgraph';
import type { CouponRow, OrderRow } from '../db/schema.ts';
import type { CommerceHistoryContext } from '../context.ts';
import { Customer, type CustomerRef } from '../customers/customer.type.ts';
import { Campaign } from '../campaigns/campaign.type.ts';
import { Order } from '../orders/order.type.ts';
import { Coupon, CouponConnection, CouponStatus, CustomerCouponConnection } from './coupon.type.ts';
import { CouponFilter, CreateCouponInput, UpdateCouponInput } from './coupon.inputs.ts';

@Resolver(() => Coupon)
export class CouponResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => CouponConnection, { description: "The store's coupons (O8), newest first." })
  coupons(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CouponFilter, { nullable: true }) filter: CouponFilter | null,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.coupons.list({ ...page, filter });
  }

  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => Coupon, { nullable: true })
  coupon(@Arg('id', () => ID) id: string, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.coupons.get(id);
  }

  @Authorized(StaffAction.CAMPAIGNS_MANAGE)
  @Mutation(() => Coupon, {
    description:
      'O8: BAD_USER_INPUT on `input.code` when the store has the code already (whatever the case), on `input.amount` ' +
      'or `input.currency` when they do not fit the discount type.',
  })
  createCoupon(@Arg('input', () => CreateCouponInput) input: CreateCouponInput, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.coupons.create(input);
  }

  @Authorized(StaffAction.CAMPAIGNS_MANAGE)
  @Mutation(() => Coupon, { description: 'O8: the expiry stays after the start, the usage limit not below the uses.' })
  updateCoupon(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCouponInput) input: UpdateCouponInput,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.coupons.update(id, input);
  }

  @Authorized(StaffAction.CAMPAIGNS_MANAGE)
  @Mutation(() => Coupon, {
    description: 'O8: stops a coupon for good (orders naming it are refused); CONFLICT when it is stopped already.',
  })
  stopCoupon(@Arg('id', () => ID) id: string, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.coupons.stop(id);
  }

  @Shopper()
  @FieldResolver(() => CouponStatus, { description: 'From the dates, the stop and the uses, as of this request.' })
  status(@Root() coupon: CouponRow, @Ctx() ctx: CommerceHistoryContext): CouponStatus {
    return ctx.coupons.statusOf(coupon);
  }

  @Shopper()
  @FieldResolver(() => Campaign, { nullable: true, description: 'The campaign the coupon belongs to.' })
  campaign(@Root() coupon: CouponRow, @Ctx() ctx: CommerceHistoryContext) {
    return coupon.campaignId ? ctx.campaigns.load(coupon.campaignId) : null;
  }
}

@Resolver(() => Customer)
export class CustomerCouponsResolver {
  @Shopper()
  @FieldResolver(() => CustomerCouponConnection, {
    nullable: true,
    description:
      "The coupons the customer's orders redeemed (O8), each once, latest use first, with the customer's uses and " +
      'the discount they received; cancelled orders left out.',
  })
  coupons(@Root() customer: CustomerRef, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.coupons.forCustomer(customer.id, page);
  }
}

@Resolver(() => Order)
export class OrderCouponsResolver {
  @Shopper()
  @FieldResolver(() => Money, {
    nullable: true,
    description:
      "O8: what the order's coupons took off, part of `discount`; null for orders recorded before coupons existed.",
  })
  couponDiscount(@Root() order: OrderRow): Money | null {
    return order.couponDiscount === null ? null : money(order.couponDiscount, order.currency);
  }
}
