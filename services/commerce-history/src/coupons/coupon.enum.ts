// Their values are also the database's enum type (db/schema.ts), in this order; coupon.type.ts
// registers them for GraphQL.

/** O8: what a coupon takes off an order. */
export enum CouponDiscountType {
  /** `amount` basis points of the order's items after their own discounts. */
  PERCENTAGE = 'percentage',
  /** `amount` minor units of the coupon's currency. */
  FIXED_AMOUNT = 'fixed_amount',
  /** The order's shipping. */
  FREE_SHIPPING = 'free_shipping',
}

/**
 * O8: derived when read, never stored: STOPPED when stopped by hand; otherwise SCHEDULED before it
 * starts, EXPIRED from its expiry on, USED_UP when its usage limit is reached, ACTIVE otherwise.
 */
export enum CouponStatus {
  SCHEDULED = 'SCHEDULED',
  ACTIVE = 'ACTIVE',
  STOPPED = 'STOPPED',
  EXPIRED = 'EXPIRED',
  USED_UP = 'USED_UP',
}

/** O8: why order intake refused a coupon (CONFLICT's `extensions.reason`). */
export enum CouponRefusal {
  COUPON_NOT_STARTED = 'COUPON_NOT_STARTED',
  COUPON_EXPIRED = 'COUPON_EXPIRED',
  COUPON_STOPPED = 'COUPON_STOPPED',
  COUPON_USED_UP = 'COUPON_USED_UP',
  COUPON_LIMIT_PER_CUSTOMER = 'COUPON_LIMIT_PER_CUSTOMER',
}
