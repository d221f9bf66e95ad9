import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { PageArgs, Shopper } from '@cg/subgraph';
import type { CommerceHistoryContext } from '../context.ts';
import { Customer, type CustomerRef } from '../customers/customer.type.ts';
import { Order } from '../orders/order.type.ts';
import { Payment } from '../payments/payment.type.ts';
import { LogEntry, LogEntryConnection, LogKind, type LogRow } from './log.type.ts';

@Resolver(() => Customer)
export class CustomerLogsResolver {
  @Shopper()
  @FieldResolver(() => LogEntryConnection, {
    nullable: true,
    description:
      "O9: the customer's order and payment events (recorded, status changes, requests), newest first; both kinds unless `kind` is given.",
  })
  logs(
    @Root() customer: CustomerRef,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('kind', () => LogKind, { nullable: true }) kind: LogKind | null,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.logs.forCustomer(customer.id, { ...page, kind });
  }
}

@Resolver(() => LogEntry)
export class LogEntryResolver {
  @Shopper()
  @FieldResolver(() => Order)
  order(@Root() entry: LogRow, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.orders.load(entry.orderId);
  }

  @Shopper()
  @FieldResolver(() => Payment, { nullable: true, description: 'Null for an order entry.' })
  payment(@Root() entry: LogRow, @Ctx() ctx: CommerceHistoryContext) {
    return entry.paymentId ? ctx.payments.load(entry.paymentId) : null;
  }
}
