import { Field, ID, Int, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { Connection, Internal, Shopper, personal } from '@cg/subgraph';
import { OrderStatus } from '../orders/order.type.ts';
import { OrderRequestType } from '../orders/order-request.type.ts';
import { PaymentStatus } from '../payments/payment.type.ts';
import { LogEvent, LogKind } from './log.enum.ts';

export { LogEvent, LogKind };

registerEnumType(LogKind, { name: 'LogKind', description: 'O9: what a log entry is about.' });
registerEnumType(LogEvent, {
  name: 'LogEvent',
  valuesConfig: {
    RECORDED: { description: 'The order or payment was recorded, with its first status.' },
    STATUS_CHANGED: { description: 'Its status changed.' },
    REQUESTED: { description: 'A cancellation or return of the order was requested.' },
  },
});

/** O9: one entry of a customer's order or payment log. `order` and `payment` are field resolvers. */
@ObjectType({ description: "An event of one of the customer's orders or payments (O9)." })
export class LogEntry {
  @Shopper()
  @Field(() => ID, { description: 'The id of the status change or request it records.' })
  id!: string;
  @Shopper()
  @Field(() => LogKind)
  kind!: LogKind;
  @Shopper()
  @Field(() => LogEvent)
  event!: LogEvent;
  @Shopper()
  @Field(() => String, { description: 'The number of the order (of the paid order, for a payment).' })
  orderNumber!: string;
  @Shopper()
  @Field(() => String, { nullable: true, description: "The payment's transaction code; null for an order entry." })
  transactionCode!: string | null;
  @Shopper()
  @Field(() => OrderStatus, { nullable: true, description: 'The order status before a change; null otherwise.' })
  fromOrderStatus!: OrderStatus | null;
  @Shopper()
  @Field(() => OrderStatus, { nullable: true, description: 'The order status recorded or changed to.' })
  toOrderStatus!: OrderStatus | null;
  @Shopper()
  @Field(() => PaymentStatus, { nullable: true, description: 'The payment status before a change; null otherwise.' })
  fromPaymentStatus!: PaymentStatus | null;
  @Shopper()
  @Field(() => PaymentStatus, { nullable: true, description: 'The payment status recorded or changed to.' })
  toPaymentStatus!: PaymentStatus | null;
  @Shopper()
  @Field(() => OrderRequestType, { nullable: true, description: 'What was requested, for REQUESTED.' })
  requestType!: OrderRequestType | null;
  @Shopper()
  @Field(() => Int, { nullable: true, description: 'Units requested; null for the whole order.' })
  units!: number | null;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'The note of an order status change.' })
  note!: string | null;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'User id of whoever did it; staff only.' })
  actor!: string | null;
  @Internal(null)
  @UseMiddleware(personal('ip'))
  @Field(() => String, { nullable: true, description: 'IP address it was done from; staff only.' })
  ip!: string | null;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType()
export class LogEntryConnection extends Connection(LogEntry) {}

/** A log entry as the service reads it. */
export interface LogRow extends Omit<LogEntry, 'kind'> {
  kind: LogKind;
  orderId: string;
  paymentId: string | null;
}
