import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Connection, Internal, Money, Shopper } from '@cg/subgraph';
import { CouponDiscountType, CouponStatus } from './coupon.enum.ts';

export { CouponDiscountType, CouponStatus };

registerEnumType(CouponDiscountType, {
  name: 'CouponDiscountType',
  description: 'What a coupon takes off an order (O8).',
  valuesConfig: {
    PERCENTAGE: { description: "`amount` basis points (1000 = 10 %) of the order's items after their own discounts." },
    FIXED_AMOUNT: { description: '`amount` minor units of `currency`, at most the items after their own discounts.' },
    FREE_SHIPPING: { description: "The order's shipping; `amount` is 0." },
  },
});
registerEnumType(CouponStatus, {
  name: 'CouponStatus',
  description: 'Follows from the dates, the manual stop and the uses when read (O8).',
  valuesConfig: {
    SCHEDULED: { description: 'Not stopped, and not started yet.' },
    ACTIVE: { description: 'Not stopped, started, not expired and not used up.' },
    STOPPED: { description: 'Stopped by hand (`stopCoupon`).' },
    EXPIRED: { description: 'Not stopped, and its expiry has passed.' },
    USED_UP: { description: 'Not stopped or expired, and used as often as its usage limit allows.' },
  },
});

/** O8: a coupon of the store; `status` and `campaign` are field resolvers. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A coupon of the store (O8), redeemed by the orders that name its code.' })
export class Coupon {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String, { description: 'Unique in the store, case-insensitively; as it was created.' })
  code!: string;
  @Shopper()
  @Field(() => String)
  name!: string;
  @Shopper()
  @Field(() => String, { description: 'The store’s own kind of coupon, e.g. "Welcome".' })
  type!: string;
  @Shopper()
  @Field(() => CouponDiscountType)
  discountType!: CouponDiscountType;
  @Shopper()
  @Field(() => GraphQLSafeInt, {
    description: 'PERCENTAGE: basis points (1000 = 10 %); FIXED_AMOUNT: minor units of `currency`; FREE_SHIPPING: 0.',
  })
  amount!: number;
  @Shopper()
  @Field(() => String, { nullable: true, description: 'FIXED_AMOUNT only: the currency of `amount`.' })
  currency!: string | null;
  @Shopper()
  @Field(() => Int, { nullable: true, description: 'Redemptions in total; null for no limit.' })
  usageLimit!: number | null;
  @Shopper()
  @Field(() => Int, { nullable: true, description: 'Redemptions per customer; null for no limit.' })
  perCustomerLimit!: number | null;
  @Internal(null)
  @Field(() => Int, {
    nullable: true,
    description: 'Redemptions by orders that are not cancelled (a cancellation gives its use back).',
  })
  timesUsed!: number | null;
  @Shopper()
  @Field(() => Date)
  startsAt!: Date;
  @Shopper()
  @Field(() => Date, { nullable: true, description: 'Exclusive: orders placed from this instant on are refused.' })
  expiresAt!: Date | null;
  @Shopper()
  @Field(() => Date, { nullable: true, description: 'When it was stopped by hand.' })
  stoppedAt!: Date | null;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'Staff user who created it.' })
  createdBy!: string | null;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
  @Shopper()
  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class CouponConnection extends Connection(Coupon) {}

@ObjectType({ description: 'A coupon a customer used, with what it brought them (O8).' })
class CustomerCoupon {
  @Shopper()
  @Field(() => Coupon)
  coupon!: Coupon;
  @Shopper()
  @Field(() => Int, { description: 'The customer’s orders that redeemed it, cancelled ones left out.' })
  timesUsed!: number;
  @Shopper()
  @Field(() => Money, { description: 'What it took off those orders.' })
  discountReceived!: Money;
  @Shopper()
  @Field(() => Date, { description: 'When the latest of those orders redeemed it.' })
  lastUsedAt!: Date;
}

@ObjectType()
export class CustomerCouponConnection extends Connection(CustomerCoupon) {}
