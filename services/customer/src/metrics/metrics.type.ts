import { Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Money, Shopper } from '@cg/subgraph';

@ObjectType({
  description: 'What the customer has bought and holds, as the other subgraphs report it (eventually consistent).',
})
export class CustomerMetrics {
  // The customer list and the detail select different metrics of the same customer: with an id a
  // client's normalised cache merges them instead of replacing one with the other.
  @Shopper()
  @Field(() => ID, { description: "The customer's id: a customer has one set of metrics." })
  id!: string;
  @Shopper()
  @Field(() => Int, { description: 'Orders that count as purchases (not drafts, cancelled, expired or returned).' })
  orderCount!: number;
  @Shopper()
  @Field(() => Money, {
    nullable: true,
    description:
      "Sum of those orders' totals, less what partial cancellations took off them (the cancelled units' share, pro rata); null while none counts.",
  })
  totalSpent!: Money | null;
  @Shopper()
  @Field(() => Money, { nullable: true, description: 'totalSpent ÷ orderCount, rounded; null while no order counts.' })
  averageOrderValue!: Money | null;
  @Shopper()
  @Field(() => Int, { description: 'Units of those orders, less those of partial cancellations.' })
  units!: number;
  @Shopper()
  @Field(() => Int, {
    description: 'Units returned: all of a RETURNED order’s, and those of completed (partial) returns of the others.',
  })
  returnedUnits!: number;
  @Shopper()
  @Field(() => Int, { description: 'Orders with negative feedback (rated 2 or lower).' })
  negativeFeedback!: number;
  @Shopper()
  @Field(() => Money, {
    nullable: true,
    description:
      "O8: what coupons took off the customer's purchases (for orders recorded before coupons existed, their whole discount).",
  })
  discountReceived!: Money | null;
  @Shopper()
  @Field(() => Int, { description: 'Purchases made with a promo code.' })
  promoCodeOrders!: number;
  @Shopper()
  @Field(() => Date, { nullable: true })
  firstOrderAt!: Date | null;
  @Shopper()
  @Field(() => Date, { nullable: true })
  lastOrderAt!: Date | null;
  @Shopper()
  @Field(() => Money, { nullable: true, description: 'Null until the customer has a wallet.' })
  walletBalance!: Money | null;
  @Shopper()
  @Field(() => Int, {
    description:
      "E4: spendable loyalty points, as the loyalty account stood at its last change (the customer's `loyalty` section " +
      'also counts pending points whose pending period has passed since); 0 without an account.',
  })
  loyaltyPoints!: number;
  @Shopper()
  @Field(() => Int, { description: 'E4: loyalty points still pending, as of the same change.' })
  pendingLoyaltyPoints!: number;
  @Shopper()
  @Field(() => String, {
    nullable: true,
    description:
      'E3: the name of the loyalty tier the account holds, as of the same change; null without a tier (or an account).',
  })
  loyaltyTier!: string | null;
  @Shopper()
  @Field(() => Float, { description: 'Share of purchases with a promo code, 0–1.' })
  promoCodeShare!: number;
}
