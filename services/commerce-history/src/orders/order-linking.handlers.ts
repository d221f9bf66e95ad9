import { and, eq, inArray, isNotNull, isNull, or } from 'drizzle-orm';
import { recordEvents, type EventHandlers } from '@cg/events';
import { orderItems, orders, outbox, payments } from '../db/schema.ts';
import { orderFacts } from './order.service.ts';
import { orderOutcomes } from './order-outcome.ts';
import { linkRedemptions } from '../coupons/coupon.service.ts';

/**
 * C1: when a guest registers, the orders they placed as a guest in that store (same email,
 * case-insensitive, or same phone) become the new profile's, with their payments; each linked
 * order is announced so that the customer's metrics and timeline count it.
 */
export const orderLinkingHandlers: EventHandlers = {
  'customer.registered': async (tx, event) => {
    const { email, phone } = event.payload;
    if (!event.customerId || (!email && !phone)) return;
    const linked = await tx
      .update(orders)
      .set({ customerId: event.customerId, updatedAt: new Date() })
      .where(
        and(
          eq(orders.storeId, event.storeId),
          isNull(orders.customerId),
          or(
            email ? eq(orders.guestEmailKey, email.toLowerCase()) : undefined,
            phone ? eq(orders.guestPhone, phone) : undefined,
          ),
        ),
      )
      .returning();
    if (linked.length === 0) return;
    await tx
      .update(payments)
      .set({ customerId: event.customerId })
      .where(
        and(
          eq(payments.storeId, event.storeId),
          inArray(
            payments.orderId,
            linked.map((order) => order.id),
          ),
        ),
      );
    await linkRedemptions(
      tx,
      event.storeId,
      event.customerId,
      linked.map((order) => order.id),
    );
    // Returns and feedback the order had as a guest's come with it. Both lock the order first, so
    // none can commit between this update and this read.
    const linkedIds = linked.map((order) => order.id);
    const outcomes = await orderOutcomes(tx, event.storeId, linkedIds);
    const skus = await tx
      .selectDistinct({ orderId: orderItems.orderId, sku: orderItems.sku })
      .from(orderItems)
      .where(
        and(eq(orderItems.storeId, event.storeId), inArray(orderItems.orderId, linkedIds), isNotNull(orderItems.sku)),
      );
    await recordEvents(
      tx,
      outbox,
      linked.map((order) => ({
        type: 'order.linked' as const,
        storeId: event.storeId,
        customerId: event.customerId,
        payload: orderFacts(
          order,
          outcomes.get(order.id)!,
          skus.filter((line) => line.orderId === order.id).map((line) => line.sku),
        ),
      })),
    );
  },
};
