// Its values are also the database's enum type (db/schema.ts); loyalty-tier.type.ts registers it for GraphQL.

/** E3: what a tier's threshold counts over the rolling 12 months. */
export enum LoyaltyTierBasis {
  /** Points orders earned, less what their cancellations and returns reversed. */
  POINTS_EARNED = 'points_earned',
  /** Minor units spent on orders that earned points, less their cancelled and returned share. */
  AMOUNT_SPENT = 'amount_spent',
}
