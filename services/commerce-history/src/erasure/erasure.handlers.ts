import { and, eq, inArray, or, sql } from 'drizzle-orm';
import { scrubOutbox, type EventHandlers } from '@cg/events';
import {
  orderFeedback,
  orderRequests,
  orderStatusChanges,
  orders,
  outbox,
  paymentStatusChanges,
  payments,
} from '../db/schema.ts';

/**
 * C19: an erased customer's orders and payments are financial records and stay, with their
 * numbers, items and amounts, under the customer's id; what identified the person goes: the
 * guest contact a linked order was placed with, IP addresses, the free text of feedback and
 * requests. Coupon redemptions (O8) are part of those records and stay under the customer's id
 * as the orders do: they hold nothing else about the person (a coupon, an order, an amount).
 * Running it again finds nothing left to change.
 */
export const erasureHandlers: EventHandlers = {
  'customer.erased': async (tx, event) => {
    const { storeId } = event;
    const customerId = event.customerId;
    if (!customerId) return;
    const owned = await tx
      .update(orders)
      .set({ guestName: null, guestEmail: null, guestPhone: null, ip: null })
      .where(and(eq(orders.storeId, storeId), eq(orders.customerId, customerId)))
      .returning({ id: orders.id });
    const paid = await tx
      .update(payments)
      .set({ ip: null })
      .where(and(eq(payments.storeId, storeId), eq(payments.customerId, customerId)))
      .returning({ id: payments.id });
    if (paid.length > 0) {
      await tx
        .update(paymentStatusChanges)
        .set({ ip: null })
        .where(
          and(
            eq(paymentStatusChanges.storeId, storeId),
            inArray(
              paymentStatusChanges.paymentId,
              paid.map((payment) => payment.id),
            ),
          ),
        );
    }
    if (owned.length === 0) {
      await scrubOutbox(tx, outbox, customerId, and(eq(outbox.storeId, storeId), eq(outbox.customerId, customerId))!);
      return;
    }
    const orderIds = owned.map((order) => order.id);
    await tx
      .update(orderStatusChanges)
      .set({ ip: null, note: null })
      .where(and(eq(orderStatusChanges.storeId, storeId), inArray(orderStatusChanges.orderId, orderIds)));
    await tx
      .update(orderRequests)
      .set({ reason: null, note: null, ip: null })
      .where(and(eq(orderRequests.storeId, storeId), inArray(orderRequests.orderId, orderIds)));
    await tx
      .update(orderFeedback)
      .set({ comment: null })
      .where(and(eq(orderFeedback.storeId, storeId), inArray(orderFeedback.orderId, orderIds)));
    // A linked order's events from its guest days (the order's and its audit entries) carry no
    // customer id, only the order's.
    await scrubOutbox(
      tx,
      outbox,
      customerId,
      and(
        eq(outbox.storeId, storeId),
        or(
          eq(outbox.customerId, customerId),
          inArray(sql<string>`${outbox.payload} ->> 'orderId'`, orderIds),
          inArray(sql<string>`${outbox.payload} ->> 'entityId'`, orderIds),
        ),
      )!,
    );
  },
};
