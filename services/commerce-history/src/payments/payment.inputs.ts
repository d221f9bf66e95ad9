import { Field, ID, InputType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { PaymentMethod, PaymentStatus } from './payment.type.ts';

@InputType({ description: "O5: a payment of an order; the customer is the order's." })
export class RecordPaymentInput {
  @Field(() => ID) orderId!: string;
  @Field(() => String, { description: "The payment provider's transaction code; unique in the store." })
  transactionCode!: string;
  @Field(() => PaymentMethod) method!: PaymentMethod;
  @Field(() => String, { nullable: true, description: 'Instrument group, e.g. a card scheme.' }) instrumentGroup?:
    string | null;
  @Field(() => String, { nullable: true, description: 'Payment service provider.' }) provider?: string | null;
  @Field(() => String, { nullable: true, description: 'Bank or institution.' }) institution?: string | null;
  @Field(() => GraphQLSafeInt, { description: 'Minor units.' }) amount!: number;
  @Field(() => String, { description: "ISO 4217; must be the order's currency." }) currency!: string;
  @Field(() => PaymentStatus, { nullable: true, description: 'Default COMPLETED.' }) status?: PaymentStatus | null;
  @Field(() => Date, { nullable: true, description: 'When the payment happened (default now).' }) paidAt?: Date | null;
  @Field(() => String, { nullable: true, description: "The payer's IP address." }) ip?: string | null;
}

// ---- zod: the rules behind the GraphQL shapes ----

export const recordPaymentSchema = z.object({
  orderId: zx.id,
  transactionCode: z.string().trim().min(1, 'must not be empty').max(100),
  method: z.enum(PaymentMethod),
  instrumentGroup: zx.optionalText(100),
  provider: zx.optionalText(100),
  institution: zx.optionalText(100),
  amount: zx.minorUnits.refine((value) => value >= 0, { message: 'must not be negative' }),
  currency: zx.currency,
  status: z
    .enum(PaymentStatus)
    .nullish()
    .transform((value) => value ?? PaymentStatus.COMPLETED),
  paidAt: z
    .date({ message: 'must be a date-time' })
    .refine((value) => value.getTime() <= Date.now() + 5 * 60_000, { message: 'must not be in the future' })
    .nullish(),
  ip: zx.ip.nullish(),
});

export const updatePaymentStatusSchema = z.object({ status: z.enum(PaymentStatus) });
