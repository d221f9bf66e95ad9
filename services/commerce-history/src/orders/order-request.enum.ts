// Their values are also the database's enum types (db/schema.ts), in this order; order-
// request.type.ts registers them for GraphQL.

/** O4. */
export enum OrderRequestType {
  CANCELLATION = 'cancellation',
  RETURN = 'return',
}

export enum OrderRequestStatus {
  REQUESTED = 'requested',
  APPROVED = 'approved',
  REJECTED = 'rejected',
  COMPLETED = 'completed',
}
