import type { DomainEvent, EventHandlers, OrderFacts } from '@cg/events';
import type { Tx } from '@cg/db';
import { writeTimelineOfKnownCustomers, type NewTimelineEntry } from './timeline.service.ts';

const money = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency}`;
const units = (count: number) => `${count} unit${count === 1 ? '' : 's'}`;

function orderSummary(order: OrderFacts, linked: boolean): string {
  const where = order.platform ?? order.channel.toLowerCase();
  const receipt = order.receiptNumber ? ` (receipt ${order.receiptNumber})` : '';
  return `${linked ? 'Guest order' : 'Order'} ${order.number} placed on ${where}${receipt}: ${money(order.total, order.currency)}`;
}

const orderData = (order: OrderFacts) => ({
  orderId: order.orderId,
  number: order.number,
  platform: order.platform,
  channel: order.channel,
  receiptNumber: order.receiptNumber,
  status: order.status,
  total: order.total,
  currency: order.currency,
});

const points = (count: number) => `${count} point${Math.abs(count) === 1 ? '' : 's'}`;

function loyaltySummary(entry: DomainEvent<'loyalty.entry_recorded'>['payload']): string {
  const signed = `${entry.points > 0 ? '+' : ''}${points(entry.points)}`;
  switch (entry.kind) {
    case 'bonus':
      if (entry.bonus === 'birthday') return `Birthday bonus ${entry.bonusYear}: ${signed}`;
      // E9: a reference code's reward, to the referee or the referrer.
      if (entry.bonus === 'referral') return `Referral reward: ${signed}`;
      return `Sign-up bonus: ${signed}`;
    case 'adjusted':
      return `Points adjusted ${signed} (${entry.reason ?? 'no reason'})`;
    case 'redeemed':
      return `Redeemed ${points(-entry.points)}`;
    case 'reversed': {
      const owed = entry.shortfall > 0 ? `, ${points(entry.shortfall)} owed` : '';
      return `Reversed ${points(-entry.points)} (${entry.reason ?? 'order undone'}${owed})`;
    }
    case 'expired':
      return `${points(-entry.points)} expired`;
    default:
      return `Loyalty ${entry.kind}: ${signed}`;
  }
}

/** An order's entry, dated when it was placed; `linked` marks a guest order the customer inherited. */
const writeOrderEntry = (tx: Tx, event: DomainEvent<'order.recorded'>, linked: boolean) => {
  const order = event.payload;
  return writeEventEntry(tx, event, {
    kind: 'order',
    orderId: order.orderId,
    summary: orderSummary(order, linked),
    data: linked ? { ...orderData(order), linkedFromGuest: true } : orderData(order),
    actor: null,
    occurredAt: new Date(order.placedAt),
  });
};

/** The entry an event makes for its customer, dated when it was recorded unless told; none for a guest. */
function writeEventEntry(
  tx: Tx,
  event: DomainEvent,
  entry: Omit<NewTimelineEntry, 'storeId' | 'customerId'>,
): Promise<void> {
  if (!event.customerId) return Promise.resolve();
  return writeTimelineOfKnownCustomers(tx, [
    { occurredAt: new Date(event.occurredAt), ...entry, storeId: event.storeId, customerId: event.customerId },
  ]);
}

/**
 * C15: what other subgraphs report about a customer, as timeline entries. The customer's own
 * actions (created, edited, addresses) are written by the services that perform them.
 */
export const timelineHandlers: EventHandlers = {
  'order.recorded': (tx, event) => writeOrderEntry(tx, event, false),
  'order.linked': (tx, event) => writeOrderEntry(tx, { ...event, type: 'order.recorded' }, true),
  'order.status_changed': (tx, event) => {
    const change = event.payload;
    return writeEventEntry(tx, event, {
      kind: 'order_status',
      orderId: change.orderId,
      summary: `Order ${change.number}: ${change.from.replace(/_/g, ' ')} → ${change.to.replace(/_/g, ' ')}`,
      data: { orderId: change.orderId, number: change.number, from: change.from, to: change.to },
      actor: null,
    });
  },
  'order.return_recorded': (tx, event) => {
    const change = event.payload;
    const all = change.returnedUnits.to >= change.orderUnits;
    return writeEventEntry(tx, event, {
      kind: 'return',
      orderId: change.orderId,
      summary: `Order ${change.number}: ${units(change.units)} returned${all ? ', all of the order' : ` (${change.returnedUnits.to} of ${change.orderUnits} so far)`}`,
      data: change,
      actor: null,
    });
  },
  /** A partial cancellation (O4); a cancellation of the whole order shows as its status change. */
  'order.cancellation_recorded': (tx, event) => {
    const change = event.payload;
    return writeEventEntry(tx, event, {
      kind: 'cancellation',
      orderId: change.orderId,
      summary: `Order ${change.number}: ${units(change.units)} cancelled (${change.cancelled.to.units} of ${change.orderUnits} so far, ${money(change.cancelled.to.amount - change.cancelled.from.amount, change.currency)})`,
      data: change,
      actor: null,
    });
  },
  'order.feedback_recorded': (tx, event) => {
    const feedback = event.payload;
    return writeEventEntry(tx, event, {
      kind: 'feedback',
      orderId: feedback.orderId,
      summary: `${feedback.negative ? 'Negative feedback' : 'Feedback'} on order ${feedback.number}: ${feedback.rating}/5`,
      data: feedback,
      actor: feedback.recordedBy,
    });
  },
  'wallet.changed': (tx, event) => {
    const change = event.payload;
    const verb = change.kind === 'credit' ? 'Credited' : change.kind === 'expiry' ? 'Expired' : 'Debited';
    return writeEventEntry(tx, event, {
      kind: 'balance',
      orderId: null,
      summary: `${verb} ${money(Math.abs(change.amount), change.currency)} (${change.reason}); balance ${money(change.balance, change.currency)}`,
      data: change,
      actor: change.recordedBy ?? null,
    });
  },
  'loyalty.entry_recorded': (tx, event) => {
    const entry = event.payload;
    return writeEventEntry(tx, event, {
      kind: 'loyalty',
      orderId: entry.orderId,
      summary: loyaltySummary(entry),
      data: entry,
      actor: entry.recordedBy,
    });
  },
  'consent.changed': (tx, event) => {
    const change = event.payload;
    const subject = change.documentKey ?? `${(change.channel ?? '').toLowerCase()} messages`;
    return writeEventEntry(tx, event, {
      kind: 'consent',
      orderId: null,
      summary: `Permission ${change.status.toLowerCase()}: ${subject} (${change.source.toLowerCase()})`,
      data: change,
      actor: change.recordedBy,
    });
  },
};
