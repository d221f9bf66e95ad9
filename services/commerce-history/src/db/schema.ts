import { appliedEventsTable, customerDirectoryTable, outboxTable } from '@cg/events';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  check,
  foreignKey,
  index,
  inet,
  integer,
  pgSchema,
  primaryKey,
  smallint,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, minorUnits, pgEnumValues, timestamptz, updatedAt } from '@cg/db';
import { OrderStatus, OrderChannel } from '../orders/order.enum.ts';
import { FeedbackSource } from '../orders/order-feedback.enum.ts';
import { OrderRequestStatus, OrderRequestType } from '../orders/order-request.enum.ts';
import { PaymentMethod, PaymentStatus } from '../payments/payment.enum.ts';
import { CampaignDiscountType } from '../campaigns/campaign.enum.ts';
import { CouponDiscountType } from '../coupons/coupon.enum.ts';

export const commerceHistorySchema = pgSchema('commerce_history');

export const orderStatus = commerceHistorySchema.enum('order_status', pgEnumValues(OrderStatus));
export const orderChannel = commerceHistorySchema.enum('order_channel', pgEnumValues(OrderChannel));
export const orderRequestType = commerceHistorySchema.enum('order_request_type', pgEnumValues(OrderRequestType));
export const orderRequestStatus = commerceHistorySchema.enum('order_request_status', pgEnumValues(OrderRequestStatus));
export const feedbackSource = commerceHistorySchema.enum('feedback_source', pgEnumValues(FeedbackSource));
export const paymentMethod = commerceHistorySchema.enum('payment_method', pgEnumValues(PaymentMethod));
export const paymentStatus = commerceHistorySchema.enum('payment_status', pgEnumValues(PaymentStatus));
export const campaignDiscountType = commerceHistorySchema.enum(
  'campaign_discount_type',
  pgEnumValues(CampaignDiscountType),
);
export const couponDiscountType = commerceHistorySchema.enum('coupon_discount_type', pgEnumValues(CouponDiscountType));

/**
 * O1: an order recorded from a sales platform. `customer_id` names a customer of the customer
 * subgraph (no foreign key across subgraphs: intake checks it in `customer_directory`); guest
 * orders carry their contact instead.
 */
export const orders = commerceHistorySchema.table(
  'orders',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    number: text('number').notNull(),
    customerId: uuid('customer_id'),
    guestName: text('guest_name'),
    guestEmail: text('guest_email'),
    /**
     * What guest orders are found by (C13): a column, because under row-level security only
     * leakproof conditions reach an index, and lower() is not one.
     */
    guestEmailKey: text('guest_email_key').generatedAlwaysAs(sql`lower(guest_email)`),
    /** E.164. */
    guestPhone: text('guest_phone'),
    channel: orderChannel('channel').notNull(),
    /** Name of the sales platform or app the order came from. */
    platform: text('platform'),
    receiptNumber: text('receipt_number'),
    status: orderStatus('status').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    /** Sum of quantity × unit price over the items. */
    subtotal: minorUnits('subtotal').notNull(),
    /** Item discounts plus the order-level discount. */
    discount: minorUnits('discount').notNull(),
    shipping: minorUnits('shipping').notNull(),
    tax: minorUnits('tax').notNull(),
    total: minorUnits('total').notNull(),
    /**
     * O3 P&L: what the payment provider charged for the order, captured at intake (0 when the
     * platform sends none); kept whole when units are returned or cancelled, as providers keep it.
     */
    paymentFee: minorUnits('payment_fee').notNull().default(0),
    /** Sum of the items' quantities. */
    units: integer('units').notNull(),
    paymentMethod: paymentMethod('payment_method'),
    couponCodes: text('coupon_codes')
      .array()
      .notNull()
      .default(sql`'{}'::text[]`),
    /**
     * O8: what the order's coupons took off (their redemptions' discounts, released or not), a
     * part of `discount`. Null for orders recorded before coupons existed: their discount was never
     * split, and the customer's metrics count the whole of it for them.
     */
    couponDiscount: minorUnits('coupon_discount'),
    /** Free text named by sales platforms before campaigns were entities; kept as recorded. */
    campaignId: text('campaign_id'),
    campaignName: text('campaign_name'),
    ip: inet('ip'),
    /** When the order was placed on the sales platform (defaults to the intake time). */
    createdAt: createdAt(),
    /** When this subgraph recorded it. */
    recordedAt: timestamptz('recorded_at').notNull().defaultNow(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'orders_pkey', columns: [t.storeId, t.id] }),
    unique('orders_store_number_key').on(t.storeId, t.number),
    // Target of the payments' foreign key: a payment's currency is its order's.
    unique('orders_store_id_currency_key').on(t.storeId, t.id, t.currency),
    index('orders_store_customer_created_idx').on(t.storeId, t.customerId, t.createdAt, t.id),
    index('orders_store_created_idx').on(t.storeId, t.createdAt, t.id),
    check('orders_number_format', sql`${t.number} ~ '^[A-Z0-9]{10}$'`),
    check('orders_currency_format', sql`${t.currency} ~ '^[A-Z]{3}$'`),
    check(
      'orders_amounts_non_negative',
      sql`${t.subtotal} >= 0 and ${t.discount} >= 0 and ${t.shipping} >= 0 and ${t.tax} >= 0 and ${t.total} >= 0 and ${t.units} >= 0`,
    ),
    check('orders_payment_fee_non_negative', sql`${t.paymentFee} >= 0`),
    check('orders_total_sum', sql`${t.total} = ${t.subtotal} - ${t.discount} + ${t.shipping} + ${t.tax}`),
    check(
      'orders_coupon_discount_within_discount',
      sql`${t.couponDiscount} is null or (${t.couponDiscount} >= 0 and ${t.couponDiscount} <= ${t.discount})`,
    ),
    // A customer's order, or a guest's with a way to reach them. A guest order linked to the
    // profile the guest registered later keeps the contact it was placed with.
    check(
      'orders_customer_or_guest',
      sql`${t.customerId} is not null or ${t.guestEmail} is not null or ${t.guestPhone} is not null`,
    ),
    // Orders placed as a guest, by email or phone: a registering customer's to link (C1), and a
    // guest's orders (C13), which stay theirs after linking.
    index('orders_guest_email_idx')
      .on(t.storeId, t.guestEmailKey)
      .where(sql`${t.guestEmailKey} is not null`),
    index('orders_guest_phone_idx')
      .on(t.storeId, t.guestPhone)
      .where(sql`${t.guestPhone} is not null`),
  ],
);

export const orderItems = commerceHistorySchema.table(
  'order_items',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    orderId: uuid('order_id').notNull(),
    /** Place of the item in the order, from 0. */
    position: integer('position').notNull(),
    productId: text('product_id').notNull(),
    sku: text('sku'),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull(),
    unitPrice: minorUnits('unit_price').notNull(),
    discount: minorUnits('discount').notNull().default(0),
    /** quantity × unit price − discount. */
    total: minorUnits('total').notNull(),
    /** O3 P&L: what one unit cost the seller, captured at intake; null when the platform did not say. */
    unitCost: minorUnits('unit_cost'),
  },
  (t) => [
    primaryKey({ name: 'order_items_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.orderId],
      foreignColumns: [orders.storeId, orders.id],
      name: 'order_items_order_fk',
    }).onDelete('cascade'),
    unique('order_items_order_position_key').on(t.storeId, t.orderId, t.position),
    check('order_items_quantity_positive', sql`${t.quantity} > 0`),
    check('order_items_amounts_non_negative', sql`${t.unitPrice} >= 0 and ${t.discount} >= 0 and ${t.total} >= 0`),
    check('order_items_total_sum', sql`${t.total} = ${t.quantity} * ${t.unitPrice} - ${t.discount}`),
    check('order_items_unit_cost_non_negative', sql`${t.unitCost} is null or ${t.unitCost} >= 0`),
  ],
);

/** O2: every status an order has had, from intake on; append-only. */
export const orderStatusChanges = commerceHistorySchema.table(
  'order_status_changes',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    orderId: uuid('order_id').notNull(),
    /** Null on intake. */
    fromStatus: orderStatus('from_status'),
    toStatus: orderStatus('to_status').notNull(),
    note: text('note'),
    /** The user id of the token that made the change. */
    changedBy: text('changed_by'),
    ip: inet('ip'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'order_status_changes_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.orderId],
      foreignColumns: [orders.storeId, orders.id],
      name: 'order_status_changes_order_fk',
    }).onDelete('cascade'),
    index('order_status_changes_order_idx').on(t.orderId, t.createdAt, t.id),
  ],
);

/** O4: cancellation and return requests; at most one open request of each type per order. */
export const orderRequests = commerceHistorySchema.table(
  'order_requests',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    orderId: uuid('order_id').notNull(),
    type: orderRequestType('type').notNull(),
    status: orderRequestStatus('status').notNull().default('requested'),
    reason: text('reason'),
    /** Units to cancel or return; null means the whole order. */
    units: integer('units'),
    /** Note of the last status change. */
    note: text('note'),
    requestedBy: text('requested_by'),
    /** The address the request was made from (O9's order log). */
    ip: inet('ip'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'order_requests_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.orderId],
      foreignColumns: [orders.storeId, orders.id],
      name: 'order_requests_order_fk',
    }).onDelete('cascade'),
    uniqueIndex('order_requests_one_open_key')
      .on(t.storeId, t.orderId, t.type)
      .where(sql`${t.status} in ('requested', 'approved')`),
    // Serves Order.requests and the request-type filter of Customer.orders (EXISTS by order and type).
    index('order_requests_order_type_idx').on(t.orderId, t.type, t.createdAt),
    check('order_requests_units_positive', sql`${t.units} is null or ${t.units} > 0`),
  ],
);

/** A rating of this or lower is negative feedback, which the seller tool counts per customer (O4, S3). */
export const NEGATIVE_RATING = 2;

/**
 * O4: feedback on an order, rated 1–5, recorded by staff or the customer. One per order: it is
 * what the buyer said, so a second one is refused rather than overwriting it (and the customer's
 * count of negative feedback never moves backwards).
 */
export const orderFeedback = commerceHistorySchema.table(
  'order_feedback',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    orderId: uuid('order_id').notNull(),
    rating: smallint('rating').notNull(),
    /** Decided here, once, for every reader: the events, the metrics check. */
    negative: boolean('negative')
      .notNull()
      .generatedAlwaysAs(sql`rating <= ${sql.raw(String(NEGATIVE_RATING))}`),
    comment: text('comment'),
    source: feedbackSource('source').notNull(),
    /** The user id of the token that recorded it. */
    recordedBy: text('recorded_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'order_feedback_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.orderId],
      foreignColumns: [orders.storeId, orders.id],
      name: 'order_feedback_order_fk',
    }).onDelete('cascade'),
    unique('order_feedback_order_key').on(t.storeId, t.orderId),
    check('order_feedback_rating_range', sql`${t.rating} between 1 and 5`),
  ],
);

/** O5: payments of an order; the customer is copied from the order for the customer's history. */
export const payments = commerceHistorySchema.table(
  'payments',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    orderId: uuid('order_id').notNull(),
    customerId: uuid('customer_id'),
    transactionCode: text('transaction_code').notNull(),
    method: paymentMethod('method').notNull(),
    /** Card scheme or instrument family, e.g. "Visa", "Mastercard", "Troy". */
    instrumentGroup: text('instrument_group'),
    /** Payment service provider, e.g. "iyzico", "Stripe". */
    provider: text('provider'),
    /** Issuing bank or institution. */
    institution: text('institution'),
    amount: minorUnits('amount').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    status: paymentStatus('status').notNull(),
    ip: inet('ip'),
    /** When the payment happened (defaults to the intake time). */
    createdAt: createdAt(),
    recordedAt: timestamptz('recorded_at').notNull().defaultNow(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'payments_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.orderId, t.currency],
      foreignColumns: [orders.storeId, orders.id, orders.currency],
      name: 'payments_order_fk',
    }),
    unique('payments_store_transaction_code_key').on(t.storeId, t.transactionCode),
    index('payments_store_customer_created_idx').on(t.storeId, t.customerId, t.createdAt, t.id),
    index('payments_order_idx').on(t.orderId, t.createdAt, t.id),
    check('payments_amount_non_negative', sql`${t.amount} >= 0`),
  ],
);

/**
 * O7: a campaign of the store. Its status is not stored: it follows from the dates and
 * `stopped_at` when read (campaign.sql.ts), so it never goes stale.
 */
export const campaigns = commerceHistorySchema.table(
  'campaigns',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    name: text('name').notNull(),
    /** The store's own kind of campaign, e.g. "Seasonal sale". */
    type: text('type').notNull(),
    discountType: campaignDiscountType('discount_type').notNull(),
    startsAt: timestamptz('starts_at').notNull(),
    /** Exclusive: the campaign has ended from this instant on. */
    endsAt: timestamptz('ends_at').notNull(),
    /** Set once by a manual stop. */
    stoppedAt: timestamptz('stopped_at'),
    /** The user id of the token that created it. */
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'campaigns_pkey', columns: [t.storeId, t.id] }),
    index('campaigns_store_starts_idx').on(t.storeId, t.startsAt, t.id),
    check('campaigns_dates_order', sql`${t.endsAt} > ${t.startsAt}`),
  ],
);

/** O7: the campaigns an order names, each once. */
export const orderCampaigns = commerceHistorySchema.table(
  'order_campaigns',
  {
    storeId: uuid('store_id').notNull(),
    orderId: uuid('order_id').notNull(),
    campaignId: uuid('campaign_id').notNull(),
  },
  (t) => [
    primaryKey({ name: 'order_campaigns_pkey', columns: [t.storeId, t.orderId, t.campaignId] }),
    foreignKey({
      columns: [t.storeId, t.orderId],
      foreignColumns: [orders.storeId, orders.id],
      name: 'order_campaigns_order_fk',
    }).onDelete('cascade'),
    foreignKey({
      columns: [t.storeId, t.campaignId],
      foreignColumns: [campaigns.storeId, campaigns.id],
      name: 'order_campaigns_campaign_fk',
    }),
    // The orders of a campaign (its foreign key), and a campaign's orders when listing.
    index('order_campaigns_campaign_idx').on(t.storeId, t.campaignId, t.orderId),
  ],
);

/**
 * O8: a coupon of the store. `code_key` (the code lower-cased) is unique per store, so codes are
 * case-insensitive; a generated column, because under row-level security only leakproof
 * conditions reach an index. `times_used` counts the redemptions not released; the check keeps it
 * within the usage limit however many orders race for the last use.
 */
export const coupons = commerceHistorySchema.table(
  'coupons',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    code: text('code').notNull(),
    codeKey: text('code_key')
      .notNull()
      .generatedAlwaysAs(sql`lower(code)`),
    name: text('name').notNull(),
    /** The store's own kind of coupon, e.g. "Welcome", "Influencer". */
    type: text('type').notNull(),
    discountType: couponDiscountType('discount_type').notNull(),
    /** PERCENTAGE: basis points (1000 = 10 %); FIXED_AMOUNT: minor units of `currency`; FREE_SHIPPING: 0. */
    amount: minorUnits('amount').notNull(),
    /** FIXED_AMOUNT only. */
    currency: char('currency', { length: 3 }),
    /** Redemptions in total; null for no limit. */
    usageLimit: integer('usage_limit'),
    /** Redemptions per customer; null for no limit. */
    perCustomerLimit: integer('per_customer_limit'),
    timesUsed: integer('times_used').notNull().default(0),
    startsAt: timestamptz('starts_at').notNull().defaultNow(),
    /** Exclusive: orders placed from this instant on are refused; null for never. */
    expiresAt: timestamptz('expires_at'),
    /** Set once by a manual stop. */
    stoppedAt: timestamptz('stopped_at'),
    campaignId: uuid('campaign_id'),
    /** The user id of the token that created it. */
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'coupons_pkey', columns: [t.storeId, t.id] }),
    unique('coupons_store_code_key').on(t.storeId, t.codeKey),
    foreignKey({
      columns: [t.storeId, t.campaignId],
      foreignColumns: [campaigns.storeId, campaigns.id],
      name: 'coupons_campaign_fk',
    }),
    index('coupons_store_created_idx').on(t.storeId, t.createdAt, t.id),
    index('coupons_store_campaign_idx')
      .on(t.storeId, t.campaignId)
      .where(sql`${t.campaignId} is not null`),
    check(
      'coupons_times_used_within_limit',
      sql`${t.timesUsed} >= 0 and (${t.usageLimit} is null or ${t.timesUsed} <= ${t.usageLimit})`,
    ),
    check(
      'coupons_limits_positive',
      sql`(${t.usageLimit} is null or ${t.usageLimit} > 0) and (${t.perCustomerLimit} is null or ${t.perCustomerLimit} > 0)`,
    ),
    check(
      'coupons_amount_by_type',
      sql`case ${t.discountType}
        when 'percentage' then ${t.amount} between 1 and 10000 and ${t.currency} is null
        when 'fixed_amount' then ${t.amount} > 0 and ${t.currency} is not null
        else ${t.amount} = 0 and ${t.currency} is null end`,
    ),
    check('coupons_dates_order', sql`${t.expiresAt} is null or ${t.expiresAt} > ${t.startsAt}`),
  ],
);

/**
 * O8: a coupon applied to an order, with what it took off that order. Released (not deleted)
 * when the order is cancelled, so the coupon's use comes back and the record stays.
 */
export const couponRedemptions = commerceHistorySchema.table(
  'coupon_redemptions',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    couponId: uuid('coupon_id').notNull(),
    orderId: uuid('order_id').notNull(),
    /** The order's customer; null for a guest's order until it is linked (C1). */
    customerId: uuid('customer_id'),
    /** Minor units of `currency` (the order's). */
    discount: minorUnits('discount').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    releasedAt: timestamptz('released_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'coupon_redemptions_pkey', columns: [t.storeId, t.id] }),
    unique('coupon_redemptions_coupon_order_key').on(t.storeId, t.couponId, t.orderId),
    foreignKey({
      columns: [t.storeId, t.couponId],
      foreignColumns: [coupons.storeId, coupons.id],
      name: 'coupon_redemptions_coupon_fk',
    }),
    foreignKey({
      columns: [t.storeId, t.orderId],
      foreignColumns: [orders.storeId, orders.id],
      name: 'coupon_redemptions_order_fk',
    }).onDelete('cascade'),
    // Customer.coupons and the per-customer limit.
    index('coupon_redemptions_customer_idx').on(t.storeId, t.customerId, t.couponId),
    // An order's redemptions (release, linking).
    index('coupon_redemptions_order_idx').on(t.storeId, t.orderId),
    check('coupon_redemptions_discount_non_negative', sql`${t.discount} >= 0`),
  ],
);

/**
 * O9: every status a payment has had, from intake on; append-only, as order_status_changes is. A
 * payment recorded before this table existed starts with the status it had then.
 */
export const paymentStatusChanges = commerceHistorySchema.table(
  'payment_status_changes',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    paymentId: uuid('payment_id').notNull(),
    /** Null on intake. */
    fromStatus: paymentStatus('from_status'),
    toStatus: paymentStatus('to_status').notNull(),
    /** The user id of the token that made the change. */
    changedBy: text('changed_by'),
    ip: inet('ip'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'payment_status_changes_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.paymentId],
      foreignColumns: [payments.storeId, payments.id],
      name: 'payment_status_changes_payment_fk',
    }).onDelete('cascade'),
    index('payment_status_changes_payment_idx').on(t.paymentId, t.createdAt, t.id),
  ],
);

/** Domain events of this subgraph (packages/events). */
export const outbox = outboxTable(commerceHistorySchema);

/** Events of other subgraphs applied here (customer registrations link guest orders). */
export const appliedEvents = appliedEventsTable(commerceHistorySchema);

/** The customers of each store, kept from the customer subgraph's events (@cg/events' directory.ts). */
export const customerDirectory = customerDirectoryTable(commerceHistorySchema);

/**
 * C14: the customer subgraph's blacklist as this subgraph may hold it: keyed hashes of each
 * entry's phone and email (`blacklist.changed`), never the contact. One row per entry; a removed
 * entry stays, inactive. `seq` is the outbox position of the event that set the row, so an older
 * event replayed or redelivered after a newer one leaves it.
 */
export const blacklistedContacts = commerceHistorySchema.table(
  'blacklisted_contacts',
  {
    storeId: uuid('store_id').notNull(),
    entryId: uuid('entry_id').notNull(),
    phoneHash: text('phone_hash'),
    emailHash: text('email_hash'),
    active: boolean('active').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'blacklisted_contacts_pkey', columns: [t.storeId, t.entryId] }),
    index('blacklisted_contacts_phone_idx')
      .on(t.storeId, t.phoneHash)
      .where(sql`${t.active} and ${t.phoneHash} is not null`),
    index('blacklisted_contacts_email_idx')
      .on(t.storeId, t.emailHash)
      .where(sql`${t.active} and ${t.emailHash} is not null`),
  ],
);

/**
 * C14: keyed hashes of each registered customer's phone and email (from `customer.registered`
 * and `customer.updated`), which intake checks against the blacklist; the row goes with the
 * customer's erasure.
 */
export const customerContacts = commerceHistorySchema.table(
  'customer_contacts',
  {
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    phoneHash: text('phone_hash'),
    emailHash: text('email_hash'),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ name: 'customer_contacts_pkey', columns: [t.storeId, t.customerId] })],
);

export const tables = {
  outbox,
  appliedEvents,
  customerDirectory,
  blacklistedContacts,
  customerContacts,
  orders,
  orderItems,
  orderStatusChanges,
  orderRequests,
  orderFeedback,
  payments,
  campaigns,
  orderCampaigns,
  coupons,
  couponRedemptions,
  paymentStatusChanges,
  orderStatus,
  orderChannel,
  orderRequestType,
  orderRequestStatus,
  feedbackSource,
  paymentMethod,
  paymentStatus,
  campaignDiscountType,
  couponDiscountType,
};
export type OrderRow = typeof orders.$inferSelect;
export type OrderItemRow = typeof orderItems.$inferSelect;
export type OrderStatusChangeRow = typeof orderStatusChanges.$inferSelect;
export type OrderRequestRow = typeof orderRequests.$inferSelect;
export type OrderFeedbackRow = typeof orderFeedback.$inferSelect;
export type PaymentRow = typeof payments.$inferSelect;
export type CampaignRow = typeof campaigns.$inferSelect;
export type PaymentStatusChangeRow = typeof paymentStatusChanges.$inferSelect;
export type CouponRow = typeof coupons.$inferSelect;
