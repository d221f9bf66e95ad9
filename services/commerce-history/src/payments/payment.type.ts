import { Directive, Field, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { Connection, Internal, Shopper, personal } from '@cg/subgraph';
import { PaymentMethod, PaymentStatus } from './payment.enum.ts';

export { PaymentMethod, PaymentStatus };

registerEnumType(PaymentMethod, { name: 'PaymentMethod', description: 'The payment medium.' });

registerEnumType(PaymentStatus, { name: 'PaymentStatus' });

/** O5: a payment transaction of an order. `amount` and `order` are field resolvers. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A payment transaction of an order.' })
export class Payment {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String, { description: "The payment provider's transaction code; unique in the store." })
  transactionCode!: string;
  @Shopper()
  @Field(() => PaymentMethod)
  method!: PaymentMethod;
  @Shopper()
  @Field(() => String, { nullable: true, description: 'Instrument group, e.g. a card scheme.' })
  instrumentGroup!: string | null;
  @Shopper()
  @Field(() => String, { nullable: true, description: 'Payment service provider.' })
  provider!: string | null;
  @Shopper()
  @Field(() => String, { nullable: true, description: 'Bank or institution.' })
  institution!: string | null;
  @Shopper()
  @Field(() => PaymentStatus)
  status!: PaymentStatus;
  @Internal(null)
  @UseMiddleware(personal('ip'))
  @Field(() => String, { nullable: true, description: "The payer's IP address; staff only." })
  ip!: string | null;
  @Shopper()
  @Field(() => Date, { description: 'When the payment happened.' })
  createdAt!: Date;
  @Shopper()
  @Field(() => Date, { description: 'When the payment was recorded here.' })
  recordedAt!: Date;
  @Shopper()
  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class PaymentConnection extends Connection(Payment) {}
