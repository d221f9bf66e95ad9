import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Money, money, PageArgs, Caller, Shopper } from '@cg/subgraph';
import type { OrderRow } from '../db/schema.ts';
import type { CommerceHistoryContext } from '../context.ts';
import { Customer, type CustomerRef } from '../customers/customer.type.ts';
import {
  GuestContact,
  Order,
  OrderConnection,
  OrderItem,
  OrderStatus,
  OrderStatusChange,
  ORDER_LIST_BOUNDS,
} from './order.type.ts';
import { CustomerOrdersFilter, RecordOrderInput } from './order.inputs.ts';

@Resolver(() => Customer)
export class CustomerOrdersResolver {
  @Shopper()
  @FieldResolver(() => OrderConnection, {
    nullable: true,
    description: "The customer's orders, newest first (O3).",
  })
  orders(
    @Root() customer: CustomerRef,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CustomerOrdersFilter, { nullable: true }) filter: CustomerOrdersFilter | null,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.orders.forCustomer(customer.id, { ...page, filter });
  }
}

@Resolver(() => Order)
export class OrderResolver {
  @Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER)
  @Query(() => Order, { nullable: true })
  order(@Arg('id', () => ID) id: string, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.orders.get(id);
  }

  @Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER)
  @Query(() => Order, { nullable: true, description: 'The order with this number in the caller’s store.' })
  orderByNumber(@Arg('number', () => String) number: string, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.orders.getByNumber(number);
  }

  @Authorized(Caller.GUEST)
  @Query(() => [Order], {
    description:
      'O10, for a storefront without a signed-in customer (guest token): guest orders by number, 1–10 numbers of exactly ' +
      '10 uppercase letters or digits; unknown numbers are left out.',
  })
  guestOrders(@Arg('numbers', () => [String]) numbers: string[], @Ctx() ctx: CommerceHistoryContext) {
    return ctx.orders.guestLookup(numbers);
  }

  @Authorized(StaffAction.ORDERS_MANAGE)
  @Mutation(() => Order, { description: 'O1: records an order from a sales platform. A used number is a CONFLICT.' })
  recordOrder(@Arg('input', () => RecordOrderInput) input: RecordOrderInput, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.orders.record(input);
  }

  @Authorized(StaffAction.ORDERS_MANAGE)
  @Mutation(() => Order, { description: 'O2: moves the order to a status and records it in the status history.' })
  updateOrderStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => OrderStatus) status: OrderStatus,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.orders.updateStatus(id, status, note);
  }

  @Shopper()
  @FieldResolver(() => Customer, { nullable: true, description: 'Null for a guest order.' })
  customer(@Root() order: OrderRow): CustomerRef | null {
    return order.customerId ? { id: order.customerId } : null;
  }

  @Shopper()
  @FieldResolver(() => GuestContact, {
    nullable: true,
    description: 'Contact of a guest order; null when the order has a customer.',
  })
  guest(@Root() order: OrderRow): GuestContact | null {
    if (order.customerId) return null;
    return { name: order.guestName, email: order.guestEmail, phone: order.guestPhone };
  }

  @Shopper()
  @FieldResolver(() => [OrderItem])
  items(@Root() order: OrderRow, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.orders.itemsOf(order);
  }

  @Shopper()
  @FieldResolver(() => Money, { description: 'Σ quantity × unit price of the items.' })
  subtotal(@Root() order: OrderRow): Money {
    return money(order.subtotal, order.currency);
  }

  @Shopper()
  @FieldResolver(() => Money, { description: 'Item discounts plus the order-level discount.' })
  discount(@Root() order: OrderRow): Money {
    return money(order.discount, order.currency);
  }

  @Shopper()
  @FieldResolver(() => Money)
  shipping(@Root() order: OrderRow): Money {
    return money(order.shipping, order.currency);
  }

  @Shopper()
  @FieldResolver(() => Money)
  tax(@Root() order: OrderRow): Money {
    return money(order.tax, order.currency);
  }

  @Shopper()
  @FieldResolver(() => Money, { description: 'subtotal − discount + shipping + tax.' })
  total(@Root() order: OrderRow): Money {
    return money(order.total, order.currency);
  }

  @Shopper()
  @FieldResolver(() => [OrderStatusChange], {
    description: `Oldest first, starting with the status the order was recorded with; the first \`first\` (1–${ORDER_LIST_BOUNDS.statusHistory.max}).`,
  })
  statusHistory(
    @Root() order: OrderRow,
    @Arg('first', () => Int, { defaultValue: ORDER_LIST_BOUNDS.statusHistory.default }) first: number,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.orders.statusHistoryOf(order.id, first);
  }
}
