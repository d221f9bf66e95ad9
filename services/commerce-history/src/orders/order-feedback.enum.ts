// Its values are also the database's enum type (db/schema.ts), in this order; order-
// feedback.type.ts registers it for GraphQL.

export enum FeedbackSource {
  STAFF = 'staff',
  CUSTOMER = 'customer',
}
