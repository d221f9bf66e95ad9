import { and, eq, sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type { DomainEvent, EventHandlers, EventPayloads, OrderFacts } from '@cg/events';
import type { Tx } from '@cg/db';
import { customerMetrics, metricsOrders, metricsOrderSkus, type CustomerMetricsRow } from '../db/schema/index.ts';
import { notifySummaryChanged } from '../summary/summary.notify.ts';

/** Orders that count as a purchase: not drafts, and not undone by cancellation, expiry or return. */
export const NOT_PURCHASES = ['draft', 'cancelled', 'expired', 'returned'];
const isPurchase = (status: string) => !NOT_PURCHASES.includes(status);

const forCustomer = (storeId: string, customerId: string) =>
  and(eq(customerMetrics.storeId, storeId), eq(customerMetrics.customerId, customerId));

/**
 * Returned units come from commerce-history, which owns their definition (its orders/order-outcome.ts:
 * a RETURNED order's units, else its completed return requests' units): every event that moves them
 * carries the order's returned units before and after, and the projection adds the difference. So a
 * partial return and a later RETURNED status count the order's units once, and the sum is exactly
 * what the metrics check reads from commerce-history. Events recorded before they carried the
 * figure fall back to the rule of the time: the whole order's units with the status RETURNED.
 */
const returnedOnRecord = (order: OrderFacts) => order.returnedUnits ?? (order.status === 'returned' ? order.units : 0);
const returnedOnStatus = (change: EventPayloads['order.status_changed']) =>
  change.returnedUnits
    ? change.returnedUnits.to - change.returnedUnits.from
    : (Number(change.to === 'returned') - Number(change.from === 'returned')) * change.units;

/** Moves one customer's metrics; an event without a customer (a guest's order) moves nothing. */
async function bump(
  tx: Tx,
  event: DomainEvent,
  changes: Partial<Record<keyof CustomerMetricsRow, SQL>>,
): Promise<void> {
  if (!event.customerId) return;
  await tx
    .update(customerMetrics)
    .set({ ...changes, updatedAt: new Date() })
    .where(forCustomer(event.storeId, event.customerId));
  await notifySummaryChanged(tx, event.storeId, event.customerId);
}

const plus = (column: SQLWrapper, amount: number) => sql`${column} + ${amount}`;

type PurchaseFacts = Pick<OrderFacts, 'total' | 'units' | 'discount' | 'couponCodes' | 'couponDiscount' | 'cancelled'>;

/**
 * O8: the discount received is what coupons took off (the promo-code tab and metrics), not every
 * discount. Events recorded before coupons existed carry no `couponDiscount`: then the whole
 * discount, as it was counted then (commerce-history's figures do the same for those orders).
 */
const couponDiscountOf = (order: PurchaseFacts) => order.couponDiscount ?? order.discount;

/**
 * What a purchase adds to the counts (`sign` 1), or takes back from them (-1): its total and units
 * less what partial cancellations took off it (commerce-history's orders/order-outcome.ts), the
 * part `order.cancellation_recorded` subtracted while it counted. The discount stays as recorded.
 */
const purchaseCounts = (sign: number, order: PurchaseFacts) => ({
  orderCount: plus(customerMetrics.orderCount, sign),
  totalSpent: plus(customerMetrics.totalSpent, sign * (order.total - (order.cancelled?.amount ?? 0))),
  units: plus(customerMetrics.units, sign * (order.units - (order.cancelled?.units ?? 0))),
  discountReceived: plus(customerMetrics.discountReceived, sign * couponDiscountOf(order)),
  promoCodeOrders: plus(
    customerMetrics.promoCodeOrders,
    order.couponCodes.length > 0 || (order.couponDiscount ?? 0) > 0 ? sign : 0,
  ),
});

/**
 * The first and last order dates are those of the orders that count, as the counts are: a draft,
 * or an order cancelled, expired or returned, leaves "last order", its sort, "active in the last 30
 * days" and the segments' order-date rules as they were without it.
 */
const orderDates = (storeId: string, customerId: string) => {
  const counted = sql`from ${metricsOrders} where ${metricsOrders.storeId} = ${storeId} and ${metricsOrders.customerId} = ${customerId} and ${metricsOrders.counts}`;
  return {
    firstOrderAt: sql`(select min(${metricsOrders.placedAt}) ${counted})`,
    lastOrderAt: sql`(select max(${metricsOrders.placedAt}) ${counted})`,
  };
};

/** A purchase moves the counts and the order dates; any order is kept for a later change of its status. */
const orderCounted: NonNullable<EventHandlers['order.recorded']> = async (tx, event) => {
  const order = event.payload;
  if (!event.customerId) return;
  const counts = isPurchase(order.status);
  // Only under a customer this subgraph knows (the metrics row is created with the profile).
  await tx.execute(sql`
    insert into ${metricsOrders} (order_id, store_id, customer_id, placed_at, counts)
    select ${order.orderId}, ${customerMetrics.storeId}, ${customerMetrics.customerId}, ${new Date(order.placedAt).toISOString()}::timestamptz, ${counts}
    from ${customerMetrics} where ${forCustomer(event.storeId, event.customerId)}
    on conflict (store_id, order_id) do update set customer_id = excluded.customer_id, placed_at = excluded.placed_at, counts = excluded.counts`);
  if (order.skus?.length) {
    // Under the customer's metrics row, as the order above: an unknown customer's order leaves none.
    await tx.execute(sql`
      insert into ${metricsOrderSkus} (store_id, order_id, sku, customer_id, counts)
      select ${customerMetrics.storeId}, ${order.orderId}, s.sku, ${customerMetrics.customerId}, ${counts}
      from ${customerMetrics}, unnest(array[${sql.join(
        order.skus.map((sku) => sql`${sku}`),
        sql`, `,
      )}]::text[]) as s(sku)
      where ${forCustomer(event.storeId, event.customerId)}
      on conflict (store_id, order_id, sku) do update set customer_id = excluded.customer_id, counts = excluded.counts`);
  }
  await bump(tx, event, {
    ...purchaseCounts(counts ? 1 : 0, order),
    returnedUnits: plus(customerMetrics.returnedUnits, returnedOnRecord(order)),
    negativeFeedback: plus(customerMetrics.negativeFeedback, order.negativeFeedback ? 1 : 0),
    ...(counts ? orderDates(event.storeId, event.customerId) : {}),
    currency: sql`coalesce(${customerMetrics.currency}, ${order.currency})`,
  });
};

/**
 * How events from other subgraphs move a customer's metrics. Each runs inside the transaction that
 * records the event as applied. An event about a customer this subgraph does not know (another
 * store's id, a guest) matches no row and changes nothing.
 */
export const metricsHandlers: EventHandlers = {
  'order.recorded': orderCounted,
  'order.linked': (tx, event) => orderCounted(tx, { ...event, type: 'order.recorded' }),

  'order.status_changed': async (tx, event) => {
    const change = event.payload;
    const sign = Number(isPurchase(change.to)) - Number(isPurchase(change.from));
    const returned = returnedOnStatus(change);
    if (sign === 0 && returned === 0) return;
    if (sign !== 0 && event.customerId) {
      await tx
        .update(metricsOrders)
        .set({ counts: sign > 0 })
        .where(and(eq(metricsOrders.storeId, event.storeId), eq(metricsOrders.orderId, change.orderId)));
      await tx
        .update(metricsOrderSkus)
        .set({ counts: sign > 0 })
        .where(and(eq(metricsOrderSkus.storeId, event.storeId), eq(metricsOrderSkus.orderId, change.orderId)));
    }
    await bump(tx, event, {
      ...purchaseCounts(sign, change),
      returnedUnits: plus(customerMetrics.returnedUnits, returned),
      ...(sign !== 0 && event.customerId ? orderDates(event.storeId, event.customerId) : {}),
    });
  },

  /** A partial return moves only the returned units: the order still counts as a purchase. */
  'order.return_recorded': async (tx, event) => {
    const { from, to } = event.payload.returnedUnits;
    if (to !== from) await bump(tx, event, { returnedUnits: plus(customerMetrics.returnedUnits, to - from) });
  },

  /**
   * A partial cancellation: the order stays, less the cancelled units and their share of its total,
   * which come off the customer's figures while the order counts as a purchase.
   */
  'order.cancellation_recorded': async (tx, event) => {
    const { from, to } = event.payload.cancelled;
    if (!isPurchase(event.payload.orderStatus) || (to.units === from.units && to.amount === from.amount)) return;
    await bump(tx, event, {
      totalSpent: plus(customerMetrics.totalSpent, from.amount - to.amount),
      units: plus(customerMetrics.units, from.units - to.units),
    });
  },

  'order.feedback_recorded': async (tx, event) => {
    if (event.payload.negative) await bump(tx, event, { negativeFeedback: plus(customerMetrics.negativeFeedback, 1) });
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

  /**
   * E4: carries the account's figures themselves, as `wallet.changed` does its balance: the event
   * of the highest outbox position wins, so a replayed or late older one changes nothing. E3: the
   * tier comes with them; an event from before tiers has no `tier` key, and does not say the
   * account has none, so it leaves the tier as it is.
   */
  'loyalty.changed': async (tx, event) => {
    if (!event.customerId) return;
    await tx
      .update(customerMetrics)
      .set({
        loyaltyPoints: event.payload.points,
        loyaltyPendingPoints: event.payload.pendingPoints,
        ...('tier' in event.payload ? { loyaltyTier: event.payload.tier ?? null } : {}),
        loyaltyEventSeq: event.seq,
        updatedAt: new Date(),
      })
      .where(and(forCustomer(event.storeId, event.customerId), sql`${customerMetrics.loyaltyEventSeq} < ${event.seq}`));
    await notifySummaryChanged(tx, event.storeId, event.customerId);
  },
};

/** C11: a member of the store's loyalty program is a customer whose loyalty account engagement has announced. */
export const isLoyaltyMember = sql`${customerMetrics.loyaltyEventSeq} > 0`;
