/**
 * The domain events that cross subgraphs, and who consumes each. A producer records them in its
 * outbox in the same transaction as the change; the relay hands each to every consumer listed.
 */
/** What consumers learn of an order when it is recorded or linked to a customer. */
export interface OrderFacts {
  orderId: string;
  number: string;
  status: string;
  currency: string;
  total: number;
  discount: number;
  units: number;
  couponCodes: string[];
  /**
   * O8: what the order's coupons took off (minor units), a part of `discount`. Absent in events
   * recorded before coupons existed: then the whole discount counted as the coupons'.
   */
  couponDiscount?: number;
  platform: string | null;
  channel: string;
  receiptNumber: string | null;
  placedAt: string;
  /** The contact a guest order was placed with. */
  guest: { name: string | null; email: string | null; phone: string | null } | null;
  /**
   * Units returned so far, as commerce-history defines them (orders/order-outcome.ts): a linked
   * guest order may have had returns. Absent in events recorded before it existed: then the
   * whole order's units when its status is returned.
   */
  returnedUnits?: number;
  /** Whether the order has negative feedback (O4); absent in older events, meaning no. */
  negativeFeedback?: boolean;
  /** The distinct SKUs of the order's lines (O6); absent in events recorded before they carried them. */
  skus?: string[];
  /**
   * What partial cancellations took off the order so far (orders/order-outcome.ts): its units and
   * their share of `total`, which the customer's figures leave out. Absent in older events: none.
   */
  cancelled?: CancelledPart;
}

/** The part of an order that completed partial cancellations took back (orders/order-outcome.ts). */
export interface CancelledPart {
  units: number;
  /** Minor units of the order's currency: the units' share of its total, pro rata, rounded down. */
  amount: number;
}

/** An order's returned units before and after a change (orders/order-outcome.ts). */
export interface ReturnedUnitsChange {
  from: number;
  to: number;
}

export interface EventPayloads {
  /**
   * A new profile: its contact links a guest's orders (C1); its status and the store's currency
   * start the customer directory of the other subgraphs. Both are absent in events recorded
   * before the directory existed.
   */
  'customer.registered': { email: string | null; phone: string | null; status?: string; currency?: string };
  /** Profile fields an edit changed (not the status, which has its own event), before and after. */
  'customer.updated': { fields: string[]; before: Record<string, unknown>; after: Record<string, unknown> };
  'customer.status_changed': { from: string; to: string };
  /**
   * E3: `date` (the store's local day, in its time zone: T1) is the customer's birthday,
   * announced once per store and day by the customer subgraph's hourly task, once that day has
   * begun in the store. Carries the day, never the birth date.
   */
  'customer.birthday': { date: string; year: number };
  /**
   * C19: the profile was erased; every subgraph holding the customer's personal data removes or
   * anonymises it. Carries nothing personal: consumers find the data by the customer's id.
   */
  'customer.erased': { erasedAt: string };
  /**
   * C5: staff deleted the profile (soft delete): no new orders name it, and it can be restored
   * until `restorableUntil`; after that the customer subgraph erases it (`customer.erased`).
   */
  'customer.deleted': { deletedAt: string; restorableUntil: string };
  /** C5: a deleted profile is back, with the status it had (`customer_status`). */
  'customer.restored': { status: string };
  /**
   * T1: a store's settings as they are after its creation or a change (`updateStore`); a store's
   * event, so `customerId` is null (its events share one delivery queue, by store). Consumers keep
   * the settings of the highest `seq`: the change locks the store row first, so its events take
   * outbox positions in the order the changes commit, and a redelivered older one is ignored.
   */
  'store.settings_changed': { timeZone: string };
  /** A new order; `customerId` is null for a guest's. */
  'order.recorded': OrderFacts;
  /** A guest's earlier order now belongs to the customer profile they registered (C1). */
  'order.linked': OrderFacts;
  'order.status_changed': {
    orderId: string;
    number: string;
    from: string;
    to: string;
    currency: string;
    total: number;
    discount: number;
    units: number;
    couponCodes: string[];
    /** As in OrderFacts: absent in older events. */
    couponDiscount?: number;
    /** Absent in older events: then the whole order's units moved with the status returned. */
    returnedUnits?: ReturnedUnitsChange;
    /** The order's partially cancelled part, which a status change leaves as it is; absent in older events: none. */
    cancelled?: CancelledPart;
  };
  /** O4: a return request was completed; `units` is what this return took back. */
  'order.return_recorded': {
    orderId: string;
    number: string;
    requestId: string;
    units: number;
    orderUnits: number;
    returnedUnits: ReturnedUnitsChange;
  };
  /**
   * O4: a cancellation request naming fewer units than the order has left was completed: the
   * order stays (in `orderStatus`), less those units; `units` is what this request took back and
   * `cancelled` the order's cancelled part before and after it (orders/order-outcome.ts).
   */
  'order.cancellation_recorded': {
    orderId: string;
    number: string;
    requestId: string;
    orderStatus: string;
    units: number;
    orderUnits: number;
    currency: string;
    cancelled: { from: CancelledPart; to: CancelledPart };
  };
  /** O4: feedback on an order, by staff or the customer; one per order. */
  'order.feedback_recorded': {
    orderId: string;
    number: string;
    feedbackId: string;
    rating: number;
    /** Rated 2 or lower: what the seller tool counts as negative feedback (S3). */
    negative: boolean;
    comment: string | null;
    source: 'staff' | 'customer';
    recordedBy: string;
  };
  /** O5. */
  'payment.recorded': {
    paymentId: string;
    orderId: string;
    orderNumber: string;
    transactionCode: string;
    method: string;
    status: string;
    amount: number;
    currency: string;
    paidAt: string;
  };
  /**
   * O8: a coupon redeemed by a recorded order, one event per coupon. `discount` is what this
   * coupon took off the order; `orderDiscount` the order's whole discount. `couponId` and
   * `discount` are absent in events recorded before coupons were entities (the code was free text).
   */
  'coupon.redeemed': {
    couponId?: string;
    code: string;
    discount?: number;
    orderId: string;
    orderNumber: string;
    orderStatus: string;
    orderDiscount: number;
    currency: string;
    redeemedAt: string;
  };
  'wallet.changed': {
    balance: number;
    currency: string;
    amount: number;
    kind: string;
    reason: string;
    /** Who adjusted the wallet; null for an expiry, which nobody does. Absent in older events. */
    recordedBy?: string | null;
    /** E1: the adjustment asked for the customer to be told (a transactional message, C18). */
    notifyCustomer?: boolean;
  };
  /**
   * E4: a loyalty account's figures after any change (earning, reversal, redemption, adjustment,
   * bonus, pending points maturing), written by the one function every change goes through.
   * Consumers keep the figures of the highest `seq`: each change locks the account first, so
   * its events take outbox positions in the order the changes commit.
   */
  'loyalty.changed': {
    points: number;
    pendingPoints: number;
    /** E3: the name of the tier the account holds (null: none); absent in events from before tiers. */
    tier?: string | null;
  };
  /**
   * C11: a loyalty ledger entry the timeline shows (E4): a bonus, an adjustment, a redemption, a
   * reversal or an expiry. `points` is signed; `shortfall` is what a reversal could not take.
   */
  'loyalty.entry_recorded': {
    entryId: string;
    kind: string;
    bonus: string | null;
    bonusYear: number | null;
    points: number;
    shortfall: number;
    orderId: string | null;
    reason: string | null;
    recordedBy: string | null;
  };
  /**
   * E8: a customer (the event's customer, the referee) used a reference code. `referral` is their
   * first use in the store, the one that refers them (once per store); `referrerId` is a USER
   * code's owner. Engagement grants the use's rewards (E9) from it once its order counts.
   */
  'reference_code.used': {
    useId: string;
    codeId: string;
    code: string;
    codeType: string;
    referrerId: string | null;
    orderId: string | null;
    referral: boolean;
    usedAt: string;
  };
  /** C18: a message to a customer was written, to be handed to the transport. */
  'message.queued': { messageId: string };
  /** A permission record (P2): a document version or a channel granted or revoked. */
  'consent.changed': {
    status: string;
    documentKey: string | null;
    documentId: string | null;
    channel: string | null;
    source: string;
    recordedBy: string;
  };
  /**
   * C14: a blacklist entry was added, changed (`active`) or removed (not `active`). Carries keyed
   * hashes (HMAC-SHA256, `CONTACT_HASH_SECRET`, @cg/auth's contact-hash.ts) of its E.164 phone and
   * lower-cased email, never the contact: commerce-history refuses the contact's orders by them.
   * Names no customer (an entry is about a contact), so a store's events arrive in outbox order.
   */
  'blacklist.changed': { entryId: string; phoneHash: string | null; emailHash: string | null; active: boolean };
  /** X5: who changed what (before and after), when and from where; kept by the customer subgraph's audit log. */
  'audit.recorded': {
    actorKind: 'staff' | 'customer';
    actorId: string;
    ip: string | null;
    /** `<entity>.<verb>`, e.g. `customer.update`, `order.status`, `wallet.adjust`, `permission.grant`. */
    action: string;
    subgraph: SubgraphName;
    entityType: string;
    entityId: string;
    before: Record<string, unknown> | null;
    after: Record<string, unknown> | null;
    occurredAt: string;
  };
}

export type EventType = keyof EventPayloads;

export type SubgraphName = 'customer' | 'commerce-history' | 'engagement' | 'consent';

/**
 * Who consumes each event: exactly the subgraphs whose consumer handles it (a test checks both
 * ways). An event with no consumer yet is still recorded: the relay queues nothing for it and
 * marks it published, and it stays in the producer's outbox, the log a consumer added later
 * starts from by replaying (as `metrics:rebuild` does).
 */
export const EVENT_ROUTES: { [T in EventType]: SubgraphName[] } = {
  // The customer directory of each other subgraph (directory.ts) is kept from these, the status
  // change, the erasure, and the deletion and restore below.
  'customer.registered': ['commerce-history', 'engagement', 'consent'],
  // Commerce-history keeps keyed hashes of a customer's phone and email for the blacklist (C14).
  'customer.updated': ['commerce-history'],
  'customer.status_changed': ['commerce-history', 'engagement', 'consent'],
  // Engagement grants the loyalty program's birthday bonus (E3).
  'customer.birthday': ['engagement'],
  // Engagement keeps no personal data (its wallet and points ledgers hold amounts, points, order
  // ids and the staff's reasons): it only marks its directory, so that no new entry names the
  // erased customer.
  'customer.erased': ['commerce-history', 'engagement', 'consent'],
  // The directories mark a deleted customer, so that order intake refuses them until a restore (C5).
  'customer.deleted': ['commerce-history', 'engagement', 'consent'],
  'customer.restored': ['commerce-history', 'engagement', 'consent'],
  // Engagement keeps a copy of the store's time zone to count its days in (store-settings.service.ts).
  'store.settings_changed': ['engagement'],
  // Engagement earns loyalty points from purchases and reverses them on cancellations and returns (E4),
  // and keeps what reference codes need of orders: rules, and rewards granted and reversed with them (E9).
  'order.recorded': ['customer', 'engagement'],
  'order.linked': ['customer', 'engagement'],
  'order.status_changed': ['customer', 'engagement'],
  'order.return_recorded': ['customer', 'engagement'],
  'order.cancellation_recorded': ['customer', 'engagement'],
  'order.feedback_recorded': ['customer'],
  'payment.recorded': [],
  'coupon.redeemed': [],
  'wallet.changed': ['customer'],
  'loyalty.changed': ['customer'],
  'loyalty.entry_recorded': ['customer'],
  // Engagement grants a use's rewards (E9) once its order counts; the use may come before or after the order.
  'reference_code.used': ['engagement'],
  'consent.changed': ['customer'],
  // The customer subgraph delivers its own messages from its outbox (messages/message.handlers.ts).
  'message.queued': ['customer'],
  'audit.recorded': ['customer'],
  // Order intake refuses blacklisted contacts (C14).
  'blacklist.changed': ['commerce-history'],
};

export interface DomainEvent<T extends EventType = EventType> {
  id: string;
  /** Position in the producer's outbox: its order of commit for one customer. */
  seq: number;
  producer: SubgraphName;
  type: T;
  storeId: string;
  customerId: string | null;
  payload: EventPayloads[T];
  occurredAt: string;
}

export interface NewEvent<T extends EventType = EventType> {
  type: T;
  storeId: string;
  customerId: string | null;
  payload: EventPayloads[T];
}
