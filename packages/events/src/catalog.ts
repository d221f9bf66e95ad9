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
  platform: string | null;
  channel: string;
  receiptNumber: string | null;
  placedAt: string;
  /** The contact a guest order was placed with. */
  guest: { name: string | null; email: string | null; phone: string | null } | null;
}

export interface EventPayloads {
  'customer.registered': { email: string | null; phone: string | null };
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
  };
  'wallet.changed': { balance: number; currency: string; amount: number; kind: string; reason: string };
  /** A permission record (P2): a document version or a channel granted or revoked. */
  'consent.changed': {
    status: string;
    documentKey: string | null;
    documentId: string | null;
    channel: string | null;
    source: string;
    recordedBy: string;
  };
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

export const EVENT_ROUTES: { [T in EventType]: SubgraphName[] } = {
  'customer.registered': ['commerce-history'],
  'order.recorded': ['customer'],
  'order.linked': ['customer'],
  'order.status_changed': ['customer'],
  'wallet.changed': ['customer'],
  'consent.changed': ['customer'],
  'audit.recorded': ['customer'],
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
