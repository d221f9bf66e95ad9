import type { DomainEvent, EventHandlers, OrderFacts } from '@cg/events';
import { writeTimelineOfKnownCustomers } from './timeline.service.ts';

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

/** An order's entry, dated when it was placed; `linked` marks a guest order the customer inherited. */
const writeOrderEntry = async (tx: Parameters<NonNullable<EventHandlers['order.recorded']>>[0], event: DomainEvent<'order.recorded'>, linked: boolean) => {
  if (!event.customerId) return;
  const order = event.payload;
  await writeTimelineOfKnownCustomers(tx, [
    {
      storeId: event.storeId,
      customerId: event.customerId,
      kind: 'order',
      orderId: order.orderId,
      summary: orderSummary(order, linked),
      data: linked ? { ...orderData(order), linkedFromGuest: true } : orderData(order),
      actor: null,
      occurredAt: new Date(order.placedAt),
    },
  ]);
};

/**
 * C15: what other subgraphs report about a customer, as timeline entries. The customer's own
 * actions (created, edited, addresses) are written by the services that perform them.
 */
export const timelineHandlers: EventHandlers = {
  'order.recorded': (tx, event) => writeOrderEntry(tx, event, false),
  'order.linked': (tx, event) => writeOrderEntry(tx, { ...event, type: 'order.recorded' }, true),
  'order.status_changed': async (tx, event) => {
    if (!event.customerId) return;
    const change = event.payload;
    await writeTimelineOfKnownCustomers(tx, [
      {
        storeId: event.storeId,
        customerId: event.customerId,
        kind: 'order_status',
        orderId: change.orderId,
        summary: `Order ${change.number}: ${change.from.replace(/_/g, ' ')} → ${change.to.replace(/_/g, ' ')}`,
        data: { orderId: change.orderId, number: change.number, from: change.from, to: change.to },
        actor: null,
        occurredAt: new Date(event.occurredAt),
      },
    ]);
  },
  'order.return_recorded': async (tx, event) => {
    if (!event.customerId) return;
    const change = event.payload;
    const all = change.returnedUnits.to >= change.orderUnits;
    await writeTimelineOfKnownCustomers(tx, [
      {
        storeId: event.storeId,
        customerId: event.customerId,
        kind: 'return',
        orderId: change.orderId,
        summary: `Order ${change.number}: ${units(change.units)} returned${all ? ', all of the order' : ` (${change.returnedUnits.to} of ${change.orderUnits} so far)`}`,
        data: change,
        actor: null,
        occurredAt: new Date(event.occurredAt),
      },
    ]);
  },
  'order.feedback_recorded': async (tx, event) => {
    if (!event.customerId) return;
    const feedback = event.payload;
    await writeTimelineOfKnownCustomers(tx, [
      {
        storeId: event.storeId,
        customerId: event.customerId,
        kind: 'feedback',
        orderId: feedback.orderId,
        summary: `${feedback.negative ? 'Negative feedback' : 'Feedback'} on order ${feedback.number}: ${feedback.rating}/5`,
        data: feedback,
        actor: feedback.recordedBy,
        occurredAt: new Date(event.occurredAt),
      },
    ]);
  },
  'wallet.changed': async (tx, event) => {
    if (!event.customerId) return;
    const change = event.payload;
    const verb = change.kind === 'credit' ? 'Credited' : change.kind === 'expiry' ? 'Expired' : 'Debited';
    await writeTimelineOfKnownCustomers(tx, [
      {
        storeId: event.storeId,
        customerId: event.customerId,
        kind: 'balance',
        orderId: null,
        summary: `${verb} ${money(Math.abs(change.amount), change.currency)} (${change.reason}); balance ${money(change.balance, change.currency)}`,
        data: change,
        actor: null,
        occurredAt: new Date(event.occurredAt),
      },
    ]);
  },
  'consent.changed': async (tx, event) => {
    if (!event.customerId) return;
    const change = event.payload;
    const subject = change.documentKey ?? `${(change.channel ?? '').toLowerCase()} messages`;
    await writeTimelineOfKnownCustomers(tx, [
      {
        storeId: event.storeId,
        customerId: event.customerId,
        kind: 'consent',
        orderId: null,
        summary: `Permission ${change.status.toLowerCase()}: ${subject} (${change.source.toLowerCase()})`,
        data: change,
        actor: change.recordedBy,
        occurredAt: new Date(event.occurredAt),
      },
    ]);
  },
};
