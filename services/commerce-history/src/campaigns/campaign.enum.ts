// Their values are also the database's enum type (db/schema.ts), in this order; campaign.type.ts
// registers them for GraphQL.

/** O7: what a campaign discounts. */
export enum CampaignDiscountType {
  MEMBERSHIP = 'membership',
  PROMOTION = 'promotion',
  PURCHASE = 'purchase',
  AFTER_SALES = 'after_sales',
}

/**
 * O7: derived when read from the dates and the manual stop, never stored: a stopped campaign is
 * STOPPED; otherwise SCHEDULED before it starts, ENDED from its end on, ACTIVE in between.
 */
export enum CampaignStatus {
  SCHEDULED = 'SCHEDULED',
  ACTIVE = 'ACTIVE',
  STOPPED = 'STOPPED',
  ENDED = 'ENDED',
}
