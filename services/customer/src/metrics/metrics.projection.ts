import { and, eq, sql } from 'drizzle-orm';
import type { EventHandlers } from '@cg/events';
import { customerMetrics } from '../db/schema.ts';
import { notifySummaryChanged } from '../summary/summary.notify.ts';

/** Orders that count as a purchase: not drafts, and not undone by cancellation, expiry or return. */
export const NOT_PURCHASES = ['draft', 'cancelled', 'expired', 'returned'];
const isPurchase = (status: string) => !NOT_PURCHASES.includes(status);

const forCustomer = (storeId: string, customerId: string) =>
  and(eq(customerMetrics.storeId, storeId), eq(customerMetrics.customerId, customerId));

/**
 * How events from other subgraphs move a customer's metrics. Each runs inside the transaction that
 * records the event as applied. An event about a customer this subgraph does not know (another
 * store's id, a guest) matches no row and changes nothing.
 */
/** A purchase moves the counts; any order moves the first and last order dates. */
const orderCounted: NonNullable<EventHandlers['order.recorded']> = async (tx, event) => {
  if (!event.customerId) return;
  const order = event.payload;
  const sign = isPurchase(order.status) ? 1 : 0;
  const placedAt = new Date(order.placedAt);
  await tx
    .update(customerMetrics)
    .set({
      orderCount: sql`${customerMetrics.orderCount} + ${sign}`,
      totalSpent: sql`${customerMetrics.totalSpent} + ${sign * order.total}`,
      units: sql`${customerMetrics.units} + ${sign * order.units}`,
      discountReceived: sql`${customerMetrics.discountReceived} + ${sign * order.discount}`,
      promoCodeOrders: sql`${customerMetrics.promoCodeOrders} + ${order.couponCodes.length > 0 ? sign : 0}`,
      returnedUnits: sql`${customerMetrics.returnedUnits} + ${order.status === 'returned' ? order.units : 0}`,
      firstOrderAt: sql`least(${customerMetrics.firstOrderAt}, ${placedAt.toISOString()}::timestamptz)`,
      lastOrderAt: sql`greatest(${customerMetrics.lastOrderAt}, ${placedAt.toISOString()}::timestamptz)`,
      currency: sql`coalesce(${customerMetrics.currency}, ${order.currency})`,
      updatedAt: new Date(),
    })
    .where(forCustomer(event.storeId, event.customerId));
  await notifySummaryChanged(tx, event.storeId, event.customerId);
};

export const metricsHandlers: EventHandlers = {
  'order.recorded': orderCounted,
  'order.linked': (tx, event) => orderCounted(tx, { ...event, type: 'order.recorded' }),

  'order.status_changed': async (tx, event) => {
    if (!event.customerId) return;
    const change = event.payload;
    const sign = Number(isPurchase(change.to)) - Number(isPurchase(change.from));
    const returned = Number(change.to === 'returned') - Number(change.from === 'returned');
    if (sign === 0 && returned === 0) return;
    await tx
      .update(customerMetrics)
      .set({
        orderCount: sql`${customerMetrics.orderCount} + ${sign}`,
        totalSpent: sql`${customerMetrics.totalSpent} + ${sign * change.total}`,
        units: sql`${customerMetrics.units} + ${sign * change.units}`,
        discountReceived: sql`${customerMetrics.discountReceived} + ${sign * change.discount}`,
        promoCodeOrders: sql`${customerMetrics.promoCodeOrders} + ${change.couponCodes.length > 0 ? sign : 0}`,
        returnedUnits: sql`${customerMetrics.returnedUnits} + ${returned * change.units}`,
        updatedAt: new Date(),
      })
      .where(forCustomer(event.storeId, event.customerId));
    await notifySummaryChanged(tx, event.storeId, event.customerId);
  },

  /** Carries the new balance itself; a late, older event never overwrites a newer one. */
  'wallet.changed': async (tx, event) => {
    if (!event.customerId) return;
    await tx
      .update(customerMetrics)
      .set({
        walletBalance: event.payload.balance,
        walletCurrency: event.payload.currency,
        walletEventSeq: event.seq,
        updatedAt: new Date(),
      })
      .where(and(forCustomer(event.storeId, event.customerId), sql`${customerMetrics.walletEventSeq} < ${event.seq}`));
    await notifySummaryChanged(tx, event.storeId, event.customerId);
  },
};
