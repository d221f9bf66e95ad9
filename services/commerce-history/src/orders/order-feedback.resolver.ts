import { Arg, Authorized, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Caller, Shopper } from '@cg/subgraph';
import type { OrderFeedbackRow, OrderRow } from '../db/schema.ts';
import type { CommerceHistoryContext } from '../context.ts';
import { Order } from './order.type.ts';
import { OrderFeedback } from './order-feedback.type.ts';
import { RecordOrderFeedbackInput } from './order-feedback.inputs.ts';

@Resolver(() => Order)
export class OrderFeedbackFieldResolver {
  @Shopper()
  @FieldResolver(() => OrderFeedback, {
    nullable: true,
    description: 'The buyer’s feedback (O4); null until recorded.',
  })
  feedback(@Root() order: OrderRow, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.orderFeedback.forOrder(order.id);
  }
}

@Resolver(() => OrderFeedback)
export class OrderFeedbackResolver {
  @Authorized(StaffAction.ORDERS_MANAGE, Caller.CUSTOMER)
  @Mutation(() => OrderFeedback, {
    description:
      'O4: records the buyer’s feedback on an order (staff, or the signed-in customer on their own order). An order takes one: ' +
      'a second is a CONFLICT. A rating of 2 or lower is negative.',
  })
  recordOrderFeedback(
    @Arg('input', () => RecordOrderFeedbackInput) input: RecordOrderFeedbackInput,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.orderFeedback.record(input);
  }

  @Shopper()
  @FieldResolver(() => Order)
  order(@Root() feedback: OrderFeedbackRow, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.orders.load(feedback.orderId);
  }
}
