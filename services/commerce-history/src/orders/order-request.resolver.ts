import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Resolver, Root, Authorized } from 'type-graphql';
import { Shopper } from '@cg/subgraph';
import { StaffAction } from '@cg/auth';
import type { OrderRequestRow, OrderRow } from '../db/schema.ts';
import type { CommerceHistoryContext } from '../context.ts';
import { Order, ORDER_LIST_BOUNDS } from './order.type.ts';
import { OrderRequest, OrderRequestStatus, OrderRequestType } from './order-request.type.ts';

@Resolver(() => Order)
export class OrderRequestsResolver {
  @Shopper()
  @FieldResolver(() => [OrderRequest], {
    description: `Cancellation and return requests, oldest first (O4); the first \`first\` (1–${ORDER_LIST_BOUNDS.requests.max}).`,
  })
  requests(
    @Root() order: OrderRow,
    @Arg('first', () => Int, { defaultValue: ORDER_LIST_BOUNDS.requests.default }) first: number,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.orderRequests.forOrder(order.id, first);
  }
}

@Resolver(() => OrderRequest)
export class OrderRequestResolver {
  @Authorized(StaffAction.ORDERS_MANAGE)
  @Mutation(() => OrderRequest, { description: 'O4: at most one open request of each type per order (else CONFLICT).' })
  createOrderRequest(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('type', () => OrderRequestType) type: OrderRequestType,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Arg('units', () => Int, { nullable: true, description: 'Units to cancel or return; omit for the whole order.' })
    units: number | null,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.orderRequests.create(orderId, { type, reason, units });
  }

  @Authorized(StaffAction.ORDERS_MANAGE)
  @Mutation(() => OrderRequest, {
    description:
      'Completing a cancellation cancels the order, or only its units when it names fewer than the order has left (neither returned nor cancelled). Completing a return records its units (the rest of the order when it has none) and, once every unit is back, marks the order RETURNED.',
  })
  updateOrderRequestStatus(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => OrderRequestStatus) status: OrderRequestStatus,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.orderRequests.updateStatus(id, status, note);
  }

  @Shopper()
  @FieldResolver(() => Order)
  order(@Root() request: OrderRequestRow, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.orders.load(request.orderId);
  }
}
