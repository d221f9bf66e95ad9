// log.type.ts registers them for GraphQL.

/** O9: what a log entry is about. */
export enum LogKind {
  ORDER = 'order',
  PAYMENT = 'payment',
}

/** O9: what happened. */
export enum LogEvent {
  /** The order or payment was recorded, with its first status. */
  RECORDED = 'recorded',
  /** Its status changed. */
  STATUS_CHANGED = 'status_changed',
  /** A cancellation or return of the order was requested. */
  REQUESTED = 'requested',
}
