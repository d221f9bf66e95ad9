import { Field, Float, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Money } from '@cg/subgraph';

@ObjectType({
  description:
    "Figures over the caller's store (C11), from the profiles and the metrics projection, so as eventually consistent as " +
    'the projection. Orders count as the metrics count them: purchases, not drafts, cancelled, expired or returned orders.',
})
export class CustomerStatistics {
  @Field(() => Int) totalCustomers!: number;
  @Field(() => Int, { description: 'Customers whose last order was placed in the last 30 days.' })
  activeLast30Days!: number;
  @Field(() => Int, { description: 'Customers who became members since the start of the current month (UTC).' })
  newThisMonth!: number;
  @Field(() => Money, {
    nullable: true,
    description:
      "Total spent ÷ orders over the store's customers, in the store's currency (customers whose orders are in another currency are left out); null before the first order.",
  })
  averageOrderValue!: Money | null;
  @Field(() => Float, {
    nullable: true,
    description:
      'Share (0–1) of customers with two or more orders among those with at least one; null when nobody has ordered.',
  })
  repeatCustomerRate!: number | null;
  @Field(() => Int, {
    description:
      "Members of the store's loyalty program (E3): customers with a loyalty account, which engagement opens with " +
      'their first points entry (earned, bonus, adjustment), whatever their points are now. VIP cards (C4) do not count.',
  })
  loyaltyMembers!: number;
  @Field(() => Int, { description: 'Orders that count as purchases.' }) ordersCount!: number;
  @Field(() => GraphQLSafeInt, { description: 'Units in those orders.' }) unitsSold!: number;
  @Field(() => GraphQLSafeInt, { description: 'Units returned: returned orders and completed partial returns.' })
  returnedUnits!: number;
}
