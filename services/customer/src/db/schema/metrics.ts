import { sql } from 'drizzle-orm';
import { bigint, boolean, char, check, foreignKey, index, integer, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { minorUnits, timestamptz } from '@cg/db';
import { customerSchema } from './base.ts';
import { customers } from './customers.ts';

/**
 * The metrics projection: per customer, what other subgraphs' events say about them, kept here so
 * that the customer list can sort and filter by it on an index. One row per customer, created
 * with the profile; `pnpm metrics:rebuild` recomputes it by replaying the producers' outboxes.
 */
export const customerMetrics = customerSchema.table(
  'customer_metrics',
  {
    customerId: uuid('customer_id').notNull(),
    storeId: uuid('store_id').notNull(),
    orderCount: integer('order_count').notNull().default(0),
    totalSpent: minorUnits('total_spent').notNull().default(0),
    units: integer('units').notNull().default(0),
    /** As commerce-history counts them: the orders' returned units, partial returns included. */
    returnedUnits: integer('returned_units').notNull().default(0),
    /** Orders with negative feedback (O4). */
    negativeFeedback: integer('negative_feedback').notNull().default(0),
    discountReceived: minorUnits('discount_received').notNull().default(0),
    promoCodeOrders: integer('promo_code_orders').notNull().default(0),
    firstOrderAt: timestamptz('first_order_at'),
    lastOrderAt: timestamptz('last_order_at'),
    /** Currency of the amounts above: the currency of the customer's first order. */
    currency: char('currency', { length: 3 }),
    walletBalance: minorUnits('wallet_balance').notNull().default(0),
    walletCurrency: char('wallet_currency', { length: 3 }),
    /** Sort key of LAST_ORDER_AT: a column, because coalesce() is not leakproof (see lastNameKey). */
    lastOrderKey: timestamptz('last_order_key')
      .notNull()
      .generatedAlwaysAs(sql`coalesce(last_order_at, 'epoch'::timestamptz)`),
    /** Outbox position of the wallet event the balance comes from; older ones are ignored. */
    walletEventSeq: bigint('wallet_event_seq', { mode: 'number' }).notNull().default(0),
    /**
     * E4: the loyalty account's spendable and pending points, as engagement stored them at its
     * last change (points whose pending period has passed move at the account's next change).
     */
    loyaltyPoints: integer('loyalty_points').notNull().default(0),
    loyaltyPendingPoints: integer('loyalty_pending_points').notNull().default(0),
    /**
     * Outbox position of the loyalty event the points come from; older ones are ignored. Above 0
     * once engagement has announced a change of the customer's loyalty account: what makes them
     * a member of the store's loyalty program (statistics' `loyaltyMembers`).
     */
    loyaltyEventSeq: bigint('loyalty_event_seq', { mode: 'number' }).notNull().default(0),
    /**
     * E3: the name of the tier the loyalty account holds as of the same event; null without one.
     * Events from before tiers do not say, and leave it as it is.
     */
    loyaltyTier: text('loyalty_tier'),
    updatedAt: timestamptz('updated_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'customer_metrics_pkey', columns: [t.storeId, t.customerId] }),
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'customer_metrics_customer_fk',
    }).onDelete('cascade'),
    check(
      'customer_metrics_counts_check',
      sql`${t.orderCount} >= 0 and ${t.units} >= 0 and ${t.returnedUnits} >= 0 and ${t.negativeFeedback} >= 0 and ${t.walletBalance} >= 0 and ${t.loyaltyPoints} >= 0 and ${t.loyaltyPendingPoints} >= 0`,
    ),
    // Keyset sorts of the customer list: (store, key, customer) for every metric it sorts by.
    index('customer_metrics_total_spent_idx').on(t.storeId, t.totalSpent, t.customerId),
    index('customer_metrics_order_count_idx').on(t.storeId, t.orderCount, t.customerId),
    index('customer_metrics_last_order_idx').on(t.storeId, t.lastOrderKey, t.customerId),
    index('customer_metrics_returned_units_idx').on(t.storeId, t.returnedUnits, t.customerId),
    index('customer_metrics_negative_feedback_idx').on(t.storeId, t.negativeFeedback, t.customerId),
    index('customer_metrics_wallet_balance_idx').on(t.storeId, t.walletBalance, t.customerId),
    index('customer_metrics_discount_received_idx').on(t.storeId, t.discountReceived, t.customerId),
    index('customer_metrics_loyalty_points_idx').on(t.storeId, t.loyaltyPoints, t.customerId),
    // One tier, sorted by points: the list's loyaltyTiers filter with LOYALTY_POINTS.
    index('customer_metrics_loyalty_tier_idx').on(t.storeId, t.loyaltyTier, t.loyaltyPoints, t.customerId),
  ],
);

/**
 * Part of the metrics projection: each of a customer's orders as its events told it, when it was
 * placed and whether it counts as a purchase now. The first and last order dates are the earliest
 * and latest of the orders that count, which an order no longer counting (cancelled, expired,
 * returned) can only give back from here.
 */
export const metricsOrders = customerSchema.table(
  'metrics_orders',
  {
    orderId: uuid('order_id').notNull(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    placedAt: timestamptz('placed_at').notNull(),
    counts: boolean('counts').notNull(),
  },
  (t) => [
    primaryKey({ name: 'metrics_orders_pkey', columns: [t.storeId, t.orderId] }),
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'metrics_orders_customer_fk',
    }).onDelete('cascade'),
    index('metrics_orders_counted_idx')
      .on(t.storeId, t.customerId, t.placedAt)
      .where(sql`${t.counts}`),
  ],
);

/**
 * Part of the metrics projection: the SKUs of each of a customer's orders (O6), for the customer
 * list's "bought any of these SKUs" filter. `counts` follows the order's `metrics_orders.counts`;
 * it is repeated here so that one index answers both ways the planner may take: from a SKU to its
 * buyers (a rare SKU), or from each listed customer to whether they bought it (a common one).
 */
export const metricsOrderSkus = customerSchema.table(
  'metrics_order_skus',
  {
    storeId: uuid('store_id').notNull(),
    orderId: uuid('order_id').notNull(),
    sku: text('sku').notNull(),
    customerId: uuid('customer_id').notNull(),
    counts: boolean('counts').notNull(),
  },
  (t) => [
    primaryKey({ name: 'metrics_order_skus_pkey', columns: [t.storeId, t.orderId, t.sku] }),
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'metrics_order_skus_customer_fk',
    }).onDelete('cascade'),
    index('metrics_order_skus_bought_idx')
      .on(t.storeId, t.sku, t.customerId)
      .where(sql`${t.counts}`),
  ],
);

export type CustomerMetricsRow = typeof customerMetrics.$inferSelect;
