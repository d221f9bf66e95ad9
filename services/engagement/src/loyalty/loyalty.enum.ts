// Its values are also the database's enum type (db/schema.ts), in this order; loyalty.type.ts
// registers it for GraphQL.

export enum LoyaltyEntryKind {
  /** Points an order earned (E4), with the rule that earned them; pending until the return window closes. */
  EARNED = 'earned',
  /** A bonus of the program (LoyaltyBonus), granted once per its period. */
  BONUS = 'bonus',
  /** Points spent (`redeemLoyaltyPoints`). */
  REDEEMED = 'redeemed',
  /** A manual change by staff, with a reason (LOYALTY_ADJUST). */
  ADJUSTED = 'adjusted',
  EXPIRED = 'expired',
  /** What a cancelled or returned order takes back of what it earned. */
  REVERSED = 'reversed',
}

/** E3: how an order's fractional points are rounded. Only one rule so far; stated so that it is never implicit. */
export enum LoyaltyRounding {
  /** floor(amount × points ÷ perMinorUnits), once per order (not per line). */
  FLOOR_PER_ORDER = 'floor_per_order',
}

/** E3: the bonuses a program grants, each at most once per its period. */
export enum LoyaltyBonus {
  /** Once, when the customer first joins the store. */
  SIGN_UP = 'sign_up',
  /** Once a year, on the customer's birthday. */
  BIRTHDAY = 'birthday',
  /** A reference code's reward (E9), once per use and beneficiary (reference_code_rewards). */
  REFERRAL = 'referral',
}
