import type { EventHandlers, OrderFacts } from '@cg/events';
import { writeTimeline } from './timeline.service.ts';

const money = (amount: number, currency: string) => `${(amount / 100).toFixed(2)} ${currency}`;

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

/**
 * C15: what other subgraphs report about a customer, as timeline entries. The customer's own
 * actions (created, edited, addresses) are written by the services that perform them.
 */
export const timelineHandlers: EventHandlers = {
  'order.recorded': async (tx, event) => {
    if (!event.customerId) return;
    const order = event.payload;
    await writeTimeline(tx, [
      {
        storeId: event.storeId,
        customerId: event.customerId,
        kind: 'order',
        orderId: order.orderId,
        summary: orderSummary(order, false),
        data: orderData(order),
        actor: null,
        occurredAt: new Date(order.placedAt),
      },
    ]);
  },
  'order.linked': async (tx, event) => {
    if (!event.customerId) return;
    const order = event.payload;
    await writeTimeline(tx, [
      {
        storeId: event.storeId,
        customerId: event.customerId,
        kind: 'order',
        orderId: order.orderId,
        summary: orderSummary(order, true),
        data: { ...orderData(order), linkedFromGuest: true },
        actor: null,
        occurredAt: new Date(order.placedAt),
      },
    ]);
  },
  'order.status_changed': async (tx, event) => {
    if (!event.customerId) return;
    const change = event.payload;
    await writeTimeline(tx, [
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
  'wallet.changed': async (tx, event) => {
    if (!event.customerId) return;
    const change = event.payload;
    const verb = change.kind === 'credit' ? 'Credited' : change.kind === 'expiry' ? 'Expired' : 'Debited';
    await writeTimeline(tx, [
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
    await writeTimeline(tx, [
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
