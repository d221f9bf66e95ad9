import { Directive, Field, ID, Int, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { Connection, Money, personal, Internal, Shopper } from '@cg/subgraph';
import { PaymentMethod } from '../payments/payment.type.ts';
import { OrderStatus, OrderChannel } from './order.enum.ts';

export { OrderStatus, OrderChannel };

registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  valuesConfig: { IN_DELIVERY: { description: 'In delivery process.' } },
});

registerEnumType(OrderChannel, { name: 'OrderChannel', description: 'Where the order was placed.' });

@ObjectType({ description: 'Contact of a shopper who ordered without a customer profile.' })
export class GuestContact {
  @Shopper()
  @Field(() => String, { nullable: true })
  name!: string | null;
  @UseMiddleware(personal('email'))
  @Shopper()
  @Field(() => String, { nullable: true })
  email!: string | null;
  @UseMiddleware(personal('phone'))
  @Shopper()
  @Field(() => String, { nullable: true, description: 'E.164.' })
  phone!: string | null;
}

@ObjectType()
export class OrderItem {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String, { description: "The sales platform's product id." })
  productId!: string;
  @Shopper()
  @Field(() => String, { nullable: true })
  sku!: string | null;
  @Shopper()
  @Field(() => String)
  name!: string;
  @Shopper()
  @Field(() => Int)
  quantity!: number;
  @Shopper()
  @Field(() => Money)
  unitPrice!: Money;
  @Shopper()
  @Field(() => Money, { description: 'Discount on this line.' })
  discount!: Money;
  @Shopper()
  @Field(() => Money, { description: 'quantity × unitPrice − discount.' })
  total!: Money;
  @Internal(null)
  @Field(() => Money, {
    nullable: true,
    description: 'O3: what one unit cost the seller, as recorded at intake; null when unknown. Staff only.',
  })
  unitCost!: Money | null;
}

/**
 * How many entries the per-order lists give by default and at most (`first`); the gateway's
 * LIST_BOUNDS names the same caps. Items need none: intake caps an order at 500 lines.
 */
export const ORDER_LIST_BOUNDS = {
  statusHistory: { default: 20, max: 100 },
  requests: { default: 10, max: 50 },
  payments: { default: 20, max: 100 },
} as const;

@ObjectType({ description: 'One step of an order’s status history.' })
export class OrderStatusChange {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => OrderStatus, { nullable: true, description: 'Null for the status the order was recorded with.' })
  fromStatus!: OrderStatus | null;
  @Shopper()
  @Field(() => OrderStatus)
  toStatus!: OrderStatus;
  @Internal(null)
  @Field(() => String, { nullable: true })
  note!: string | null;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'User id of whoever made the change.' })
  changedBy!: string | null;
  @Internal(null)
  @UseMiddleware(personal('ip'))
  @Field(() => String, { nullable: true, description: 'IP address the change was made from; staff only.' })
  ip!: string | null;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
}

/**
 * O1: an order recorded from a sales platform. Amounts (subtotal, discount, ...) are field
 * resolvers: the row holds minor units and one currency.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An order recorded from a sales platform.' })
export class Order {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String, { description: 'Exactly 10 uppercase letters or digits; unique in the store.' })
  number!: string;
  @Shopper()
  @Field(() => OrderChannel)
  channel!: OrderChannel;
  @Shopper()
  @Field(() => String, { nullable: true, description: 'Name of the sales platform or app.' })
  platform!: string | null;
  @Shopper()
  @Field(() => String, { nullable: true })
  receiptNumber!: string | null;
  @Shopper()
  @Field(() => OrderStatus)
  status!: OrderStatus;
  @Shopper()
  @Field(() => String, { description: 'ISO 4217 code of every amount of the order.' })
  currency!: string;
  @Shopper()
  @Field(() => Int, { description: 'Number of product units (sum of item quantities).' })
  units!: number;
  @Shopper()
  @Field(() => PaymentMethod, { nullable: true })
  paymentMethod!: PaymentMethod | null;
  @Shopper()
  @Field(() => [String])
  couponCodes!: string[];
  @Shopper()
  @Field(() => String, {
    nullable: true,
    deprecationReason: 'Free text recorded with the order; the campaign entities are in `campaigns`.',
  })
  campaignId!: string | null;
  @Shopper()
  @Field(() => String, {
    nullable: true,
    deprecationReason: 'Free text recorded with the order; the campaign entities are in `campaigns`.',
  })
  campaignName!: string | null;
  @Internal(null)
  @UseMiddleware(personal('ip'))
  @Field(() => String, { nullable: true, description: "The shopper's IP address; staff only." })
  ip!: string | null;
  @Shopper()
  @Field(() => Date, { description: 'When the order was placed.' })
  createdAt!: Date;
  @Shopper()
  @Field(() => Date, { description: 'When the order was recorded here.' })
  recordedAt!: Date;
  @Shopper()
  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class OrderConnection extends Connection(Order) {}
