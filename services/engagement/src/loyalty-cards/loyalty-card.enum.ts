// Its values are also the database's enum type (db/schema.ts), in this order; loyalty-card.type.ts
// registers it for GraphQL.

/** E5: a card's status. Only an ACTIVE card lets its customer earn and redeem (loyalty-card.guard.ts). */
export enum LoyaltyCardStatus {
  ACTIVE = 'active',
  /** Blocked by staff (lost, misused); unblocking makes it ACTIVE again. */
  BLOCKED = 'blocked',
  /** Retired by `replaceLoyaltyCard`: its VIP points moved to `replacedBy`; final. */
  REPLACED = 'replaced',
}
