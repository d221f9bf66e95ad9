import { Field, Float, Int, ObjectType } from 'type-graphql';
import { Money } from '@cg/subgraph';

@ObjectType({
  description: 'What the customer has bought and holds, as the other subgraphs report it (eventually consistent).',
})
export class CustomerMetrics {
  @Field(() => Int, { description: 'Orders that count as purchases (not drafts, cancelled, expired or returned).' })
  orderCount!: number;
  @Field(() => Money, { nullable: true, description: 'Sum of those orders; null while none counts.' })
  totalSpent!: Money | null;
  @Field(() => Money, { nullable: true, description: 'totalSpent ÷ orderCount, rounded; null while no order counts.' })
  averageOrderValue!: Money | null;
  @Field(() => Int) units!: number;
  @Field(() => Int, {
    description: 'Units returned: all of a RETURNED order’s, and those of completed (partial) returns of the others.',
  })
  returnedUnits!: number;
  @Field(() => Int, { description: 'Orders with negative feedback (rated 2 or lower).' }) negativeFeedback!: number;
  @Field(() => Money, { nullable: true }) discountReceived!: Money | null;
  @Field(() => Int, { description: 'Purchases made with a promo code.' }) promoCodeOrders!: number;
  @Field(() => Date, { nullable: true }) firstOrderAt!: Date | null;
  @Field(() => Date, { nullable: true }) lastOrderAt!: Date | null;
  @Field(() => Money, { nullable: true, description: 'Null until the customer has a wallet.' })
  walletBalance!: Money | null;
  @Field(() => Float, { description: 'Share of purchases with a promo code, 0–1.' }) promoCodeShare!: number;
}
