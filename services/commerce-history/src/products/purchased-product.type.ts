import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Money, Shopper } from '@cg/subgraph';

/** O6: what a customer's purchased products are sorted by. */
export enum PurchasedProductSort {
  UNITS = 'units',
  AMOUNT = 'amount',
  LAST_PURCHASE = 'last_purchase',
}
registerEnumType(PurchasedProductSort, { name: 'PurchasedProductSort' });

/** O6: one product (product id and SKU) over a customer's purchases. */
@ObjectType({ description: 'A product the customer bought, over their purchases (O6).' })
class PurchasedProduct {
  @Shopper()
  @Field(() => String, { description: "The sales platform's product id." })
  productId!: string;
  @Shopper()
  @Field(() => String, { nullable: true })
  sku!: string | null;
  @Shopper()
  @Field(() => String, { description: 'The name on the latest purchase.' })
  name!: string;
  @Shopper()
  @Field(() => Int, { description: 'Number of purchases with the product.' })
  orders!: number;
  @Shopper()
  @Field(() => Int, { description: 'Units bought, net of returns.' })
  units!: number;
  @Shopper()
  @Field(() => Int, { description: 'Units returned (included in `units` already).' })
  returnedUnits!: number;
  @Shopper()
  @Field(() => Money, { description: "Sum of the lines' totals (after line discounts), before returns." })
  amount!: Money;
  @Shopper()
  @Field(() => Date)
  lastPurchasedAt!: Date;
}

@ObjectType()
export class PurchasedProductConnection extends Connection(PurchasedProduct) {}

/** A purchased product as the service reads it. */
export interface PurchasedProductRow extends PurchasedProduct {
  skuKey: string;
}
