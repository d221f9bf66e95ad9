// Their values are also the database's enum types (db/schema.ts), in this order; order.type.ts
// registers them for GraphQL.

/** O2, in the order the sales platform moves through them. */
export enum OrderStatus {
  DRAFT = 'draft',
  PENDING_DELIVERY = 'pending_delivery',
  NEW = 'new',
  IN_PROGRESS = 'in_progress',
  PREPARED = 'prepared',
  INVOICED = 'invoiced',
  /** "In delivery process". */
  IN_DELIVERY = 'in_delivery',
  DELIVERED = 'delivered',
  COMPLETED = 'completed',
  NOT_DELIVERED = 'not_delivered',
  RETURNED = 'returned',
  CANCELLED = 'cancelled',
  EXPIRED = 'expired',
}

export enum OrderChannel {
  WEB = 'web',
  MOBILE_APP = 'mobile_app',
  POS = 'pos',
  MARKETPLACE = 'marketplace',
  OTHER = 'other',
}
