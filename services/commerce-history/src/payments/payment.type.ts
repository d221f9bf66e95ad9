import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '@cg/subgraph';

export enum PaymentMethod {
  CREDIT_CARD = 'credit_card',
  DEBIT_CARD = 'debit_card',
  BANK_TRANSFER = 'bank_transfer',
  CASH = 'cash',
  WALLET = 'wallet',
  OTHER = 'other',
}
registerEnumType(PaymentMethod, { name: 'PaymentMethod', description: 'The payment medium.' });

/** O5. */
export enum PaymentStatus {
  COMPLETED = 'completed',
  CANCELLED = 'cancelled',
  REFUNDED = 'refunded',
  PARTIALLY_REFUNDED = 'partially_refunded',
  ON_HOLD = 'on_hold',
}
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
