// Its values are also the database's enum type (db/schema/blacklist.ts), in this order;
// blacklist.type.ts registers it for GraphQL.

/** C14: why a contact is blacklisted (seed 001's reasons, and OTHER with a note). */
export enum BlacklistReason {
  FREQUENT_ORDER_REFUSAL = 'frequent_order_refusal',
  RETURN_ABUSE_OR_FRAUD = 'return_abuse_or_fraud',
  INAPPROPRIATE_BEHAVIOUR = 'inappropriate_behaviour',
  FAKE_ORDERS = 'fake_orders',
  OTHER = 'other',
}
