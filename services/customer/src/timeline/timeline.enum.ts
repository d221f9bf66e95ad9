// Its values are also the database's enum type (db/schema/), in this order; timeline.type.ts
// registers it for GraphQL.

export enum TimelineEntryKind {
  ORDER = 'order',
  ORDER_STATUS = 'order_status',
  CREATED = 'created',
  EDITED = 'edited',
  STATUS_CHANGED = 'status_changed',
  NOTE = 'note',
  ADDRESS = 'address',
  BALANCE = 'balance',
  CONSENT = 'consent',
  RETURN = 'return',
  FEEDBACK = 'feedback',
  CANCELLATION = 'cancellation',
  /** Loyalty points: a bonus, an adjustment, a redemption, a reversal or an expiry (E4). */
  LOYALTY = 'loyalty',
  /** The customer's sign-in account: a password reset sent, the password changed (C5). */
  ACCOUNT = 'account',
  /** A message sent to the customer, with its lawful basis (C18). */
  MESSAGE = 'message',
}
