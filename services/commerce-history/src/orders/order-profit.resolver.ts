import { Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { Internal, money, Shopper } from '@cg/subgraph';
import type { OrderRow } from '../db/schema.ts';
import type { CommerceHistoryContext } from '../context.ts';
import { Order } from './order.type.ts';
import { OrderProfitAndLoss } from './order-profit.type.ts';

/** O3/O4: what became of an order and what it earned; each batched for every order of the request. */
@Resolver(() => Order)
export class OrderProfitResolver {
  @Shopper()
  @FieldResolver(() => Int, {
    description: 'O4: units of completed returns (all of the units left once the order is RETURNED).',
  })
  async returnedUnits(@Root() order: OrderRow, @Ctx() ctx: CommerceHistoryContext): Promise<number> {
    return (await ctx.orders.outcomeOf(order.id)).returnedUnits;
  }

  @Shopper()
  @FieldResolver(() => Int, {
    description: 'O4: units of completed partial cancellations; all of its units once the order is CANCELLED.',
  })
  async cancelledUnits(@Root() order: OrderRow, @Ctx() ctx: CommerceHistoryContext): Promise<number> {
    if (order.status === 'cancelled') return order.units;
    return (await ctx.orders.outcomeOf(order.id)).cancelledUnits;
  }

  @Internal(null)
  @FieldResolver(() => OrderProfitAndLoss, { nullable: true, description: 'O3: staff only; null for customers.' })
  async profitAndLoss(@Root() order: OrderRow, @Ctx() ctx: CommerceHistoryContext): Promise<OrderProfitAndLoss> {
    const pnl = await ctx.orders.profitAndLossOf(order);
    const amount = (value: number) => money(value, order.currency);
    return {
      ...pnl,
      grossSales: amount(pnl.grossSales),
      discounts: amount(pnl.discounts),
      revenue: amount(pnl.revenue),
      itemCost: pnl.itemCost === null ? null : amount(pnl.itemCost),
      paymentFees: amount(pnl.paymentFees),
      shipping: amount(pnl.shipping),
      tax: amount(pnl.tax),
      profit: pnl.profit === null ? null : amount(pnl.profit),
    };
  }
}
