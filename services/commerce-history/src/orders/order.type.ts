import { Directive, Field, ID, Int, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { Connection, Money, personal } from '@cg/subgraph';
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
  @Field(() => String, { nullable: true }) name!: string | null;
  @UseMiddleware(personal('email'))
  @Field(() => String, { nullable: true })
  email!: string | null;
  @UseMiddleware(personal('phone'))
  @Field(() => String, { nullable: true, description: 'E.164.' })
  phone!: string | null;
}

@ObjectType()
export class OrderItem {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "The sales platform's product id." }) productId!: string;
  @Field(() => String, { nullable: true }) sku!: string | null;
  @Field(() => String) name!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => Money) unitPrice!: Money;
  @Field(() => Money, { description: 'Discount on this line.' }) discount!: Money;
  @Field(() => Money, { description: 'quantity × unitPrice − discount.' }) total!: Money;
}

@ObjectType({ description: 'One step of an order’s status history.' })
export class OrderStatusChange {
  @Field(() => ID) id!: string;
  @Field(() => OrderStatus, { nullable: true, description: 'Null for the status the order was recorded with.' })
  fromStatus!: OrderStatus | null;
  @Field(() => OrderStatus) toStatus!: OrderStatus;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => String, { nullable: true, description: 'User id of whoever made the change.' }) changedBy!:
    string | null;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => Date) createdAt!: Date;
}

/**
 * O1: an order recorded from a sales platform. Amounts (subtotal, discount, ...) are field
 * resolvers: the row holds minor units and one currency.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'An order recorded from a sales platform.' })
export class Order {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Exactly 10 uppercase letters or digits; unique in the store.' }) number!: string;
  @Field(() => OrderChannel) channel!: OrderChannel;
  @Field(() => String, { nullable: true, description: 'Name of the sales platform or app.' }) platform!: string | null;
  @Field(() => String, { nullable: true }) receiptNumber!: string | null;
  @Field(() => OrderStatus) status!: OrderStatus;
  @Field(() => String, { description: 'ISO 4217 code of every amount of the order.' }) currency!: string;
  @Field(() => Int, { description: 'Number of product units (sum of item quantities).' }) units!: number;
  @Field(() => PaymentMethod, { nullable: true }) paymentMethod!: PaymentMethod | null;
  @Field(() => [String]) couponCodes!: string[];
  @Field(() => String, { nullable: true }) campaignId!: string | null;
  @Field(() => String, { nullable: true }) campaignName!: string | null;
  @Field(() => String, { nullable: true, description: "The shopper's IP address." }) ip!: string | null;
  @Field(() => Date, { description: 'When the order was placed.' }) createdAt!: Date;
  @Field(() => Date, { description: 'When the order was recorded here.' }) recordedAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType()
export class OrderConnection extends Connection(Order) {}
