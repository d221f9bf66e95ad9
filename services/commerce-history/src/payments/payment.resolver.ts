import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Money, money, PageArgs, Caller, Shopper } from '@cg/subgraph';
import type { OrderRow, PaymentRow } from '../db/schema.ts';
import type { CommerceHistoryContext } from '../context.ts';
import { Customer, type CustomerRef } from '../customers/customer.type.ts';
import { Order, ORDER_LIST_BOUNDS } from '../orders/order.type.ts';
import { Payment, PaymentConnection, PaymentStatus } from './payment.type.ts';
import { RecordPaymentInput } from './payment.inputs.ts';

@Resolver(() => Customer)
export class CustomerPaymentsResolver {
  @Shopper()
  @FieldResolver(() => PaymentConnection, {
    nullable: true,
    description: "The customer's payment transactions, newest first (O5).",
  })
  payments(@Root() customer: CustomerRef, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.payments.forCustomer(customer.id, page);
  }
}

@Resolver(() => Order)
export class OrderPaymentsResolver {
  @Shopper()
  @FieldResolver(() => [Payment], {
    description: `Oldest first; the first \`first\` (1–${ORDER_LIST_BOUNDS.payments.max}).`,
  })
  payments(
    @Root() order: OrderRow,
    @Arg('first', () => Int, { defaultValue: ORDER_LIST_BOUNDS.payments.default }) first: number,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.payments.forOrder(order.id, first);
  }
}

@Resolver(() => Payment)
export class PaymentResolver {
  @Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER)
  @Query(() => Payment, { nullable: true })
  payment(@Arg('id', () => ID) id: string, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.payments.get(id);
  }

  @Authorized(StaffAction.ORDERS_MANAGE)
  @Mutation(() => Payment, { description: 'O5: records a payment of an order. A used transaction code is a CONFLICT.' })
  recordPayment(@Arg('input', () => RecordPaymentInput) input: RecordPaymentInput, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.payments.record(input);
  }

  @Authorized(StaffAction.ORDERS_MANAGE)
  @Mutation(() => Payment)
  updatePaymentStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => PaymentStatus) status: PaymentStatus,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.payments.updateStatus(id, status);
  }

  @Shopper()
  @FieldResolver(() => Money)
  amount(@Root() payment: PaymentRow): Money {
    return money(payment.amount, payment.currency);
  }

  @Shopper()
  @FieldResolver(() => Order)
  order(@Root() payment: PaymentRow, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.orders.load(payment.orderId);
  }

  @Shopper()
  @FieldResolver(() => Customer, { nullable: true, description: "The order's customer; null for a guest order." })
  customer(@Root() payment: PaymentRow): CustomerRef | null {
    return payment.customerId ? { id: payment.customerId } : null;
  }
}
