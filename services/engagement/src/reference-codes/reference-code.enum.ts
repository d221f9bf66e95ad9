// ReferenceCodeType and ReferenceCodeAction are also the database's enum types (db/schema.ts), in
// this order; reference-code.type.ts registers them for GraphQL.

/** E8: whose code it is. */
export enum ReferenceCodeType {
  /** The platform's own code (a campaign, an influencer). */
  PLATFORM = 'platform',
  /** A seller's code. */
  SELLER = 'seller',
  /** A referring customer's code: `owner_id` names them. */
  USER = 'user',
}

/**
 * E8: derived when read, never stored: EXPIRED once expired by hand (final) or past its planned
 * end; otherwise STOPPED while stopped by hand (resumable); SCHEDULED before its start; EXHAUSTED
 * at its usage limit; ACTIVE otherwise.
 */
export enum ReferenceCodeStatus {
  SCHEDULED = 'SCHEDULED',
  ACTIVE = 'ACTIVE',
  STOPPED = 'STOPPED',
  EXPIRED = 'EXPIRED',
  EXHAUSTED = 'EXHAUSTED',
}

/** E8: what a status-change history entry records. */
export enum ReferenceCodeAction {
  CREATE = 'create',
  STOP = 'stop',
  RESUME = 'resume',
  EXPIRE = 'expire',
}

/** `extensions.reason` of the CONFLICTs a use or a lifecycle action gets. */
export enum ReferenceCodeRefusal {
  CODE_NOT_STARTED = 'CODE_NOT_STARTED',
  CODE_STOPPED = 'CODE_STOPPED',
  CODE_EXPIRED = 'CODE_EXPIRED',
  CODE_EXHAUSTED = 'CODE_EXHAUSTED',
  PER_CUSTOMER_LIMIT = 'PER_CUSTOMER_LIMIT',
  SELF_REFERRAL = 'SELF_REFERRAL',
  /** The customer was already referred in this store, by another code. */
  ALREADY_REFERRED = 'ALREADY_REFERRED',
  /** Stop of a stopped code. */
  ALREADY_STOPPED = 'ALREADY_STOPPED',
  /** Resume of a code that is not stopped. */
  NOT_STOPPED = 'NOT_STOPPED',
  /** Another code of the store has this code (case-insensitively). */
  DUPLICATE_CODE = 'DUPLICATE_CODE',
  /** E9: the code is for new customers only, and this one has a purchase in the store. */
  RULE_NEW_CUSTOMERS_ONLY = 'RULE_NEW_CUSTOMERS_ONLY',
  /** E9: the code is for given loyalty tiers, and the customer holds none of them. */
  RULE_TIER = 'RULE_TIER',
  /** E9: the code is for orders of given sales platforms, and the use's order is not one (or not known yet). */
  RULE_PLATFORM = 'RULE_PLATFORM',
  /** E9: the code is for given customers, and this one is not among them. */
  RULE_CUSTOMER = 'RULE_CUSTOMER',
}

// E9: ReferenceRewardBeneficiary, ReferenceRewardKind and ReferenceRewardStatus are also the
// database's enum types (db/schema.ts), in this order.

/** Who a reward goes to. */
export enum ReferenceRewardBeneficiary {
  /** The customer who used the code. */
  REFEREE = 'referee',
  /** A USER code's owner, who referred them. */
  REFERRER = 'referrer',
}

/** What a reward is. */
export enum ReferenceRewardKind {
  /** Loyalty points, a BONUS (REFERRAL) entry of the points ledger. */
  POINTS = 'points',
  /** Wallet credit, a CREDIT entry of the wallet ledger. */
  WALLET = 'wallet',
  /** Money off the order the code is used on: recorded on the use for order intake to apply; no ledger entry. */
  DISCOUNT = 'discount',
}

/** A granted reward stays GRANTED unless its order stops counting (cancelled, returned): then REVERSED, final. */
export enum ReferenceRewardStatus {
  GRANTED = 'granted',
  REVERSED = 'reversed',
}
