import { Field, Float, Int, ObjectType } from 'type-graphql';
import { InternalType, Money } from '@cg/subgraph';

/** O3: the formulas are in order-profit.ts; amounts are in the order's currency. */
@InternalType()
@ObjectType({
  description:
    "O3: an order's profit and loss over the units it keeps (not returned, not cancelled). profit = revenue − itemCost − " +
    'paymentFees; shipping and tax pass through and stay out of it. Staff only.',
})
export class OrderProfitAndLoss {
  @Field(() => Int, { description: 'Units neither returned nor cancelled (0 once the order is CANCELLED).' })
  keptUnits!: number;
  @Field(() => Money, { description: 'Σ unit price × kept units of each line.' })
  grossSales!: Money;
  @Field(() => Money, { description: "The order's discounts (item and order-level) × kept ÷ order units." })
  discounts!: Money;
  @Field(() => Money, { description: 'grossSales − discounts.' })
  revenue!: Money;
  @Field(() => Boolean, { description: 'Whether intake recorded the unit cost of every line.' })
  costKnown!: boolean;
  @Field(() => Money, { nullable: true, description: 'Σ unit cost × kept units of each line; null unless costKnown.' })
  itemCost!: Money | null;
  @Field(() => Money, { description: 'The payment fee recorded with the order, kept whole.' })
  paymentFees!: Money;
  @Field(() => Money, { description: 'As recorded; passed through to the carrier.' })
  shipping!: Money;
  @Field(() => Money, { description: 'As recorded; owed to the authorities.' })
  tax!: Money;
  @Field(() => Money, { nullable: true, description: 'revenue − itemCost − paymentFees; null unless costKnown.' })
  profit!: Money | null;
  @Field(() => Float, {
    nullable: true,
    description: 'profit ÷ revenue (0.25 is 25 %); null without profit or revenue.',
  })
  margin!: number | null;
}
