import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '@cg/subgraph';
import { PaymentMethod, PaymentStatus } from './payment.enum.ts';

export { PaymentMethod, PaymentStatus };

registerEnumType(PaymentMethod, { name: 'PaymentMethod', description: 'The payment medium.' });

registerEnumType(PaymentStatus, { name: 'PaymentStatus' });

/** O5: a payment transaction of an order. `amount` and `order` are field resolvers. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A payment transaction of an order.' })
export class Payment {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: "The payment provider's transaction code; unique in the store." })
  transactionCode!: string;
  @Field(() => PaymentMethod) method!: PaymentMethod;
  @Field(() => String, { nullable: true, description: 'Instrument group, e.g. a card scheme.' }) instrumentGroup!:
    string | null;
  @Field(() => String, { nullable: true, description: 'Payment service provider.' }) provider!: string | null;
  @Field(() => String, { nullable: true, description: 'Bank or institution.' }) institution!: string | null;
  @Field(() => PaymentStatus) status!: PaymentStatus;
  @Field(() => String, { nullable: true }) ip!: string | null;
  @Field(() => Date, { description: 'When the payment happened.' }) createdAt!: Date;
  @Field(() => Date, { description: 'When the payment was recorded here.' }) recordedAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType()
export class PaymentConnection extends Connection(Payment) {}
