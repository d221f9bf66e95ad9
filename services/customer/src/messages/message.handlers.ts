import { and, eq, sql } from 'drizzle-orm';
import type { EventHandlers } from '@cg/events';
import { channelConsents, customers, messageSuppressions, messages } from '../db/schema/index.ts';
import { MessageChannel, MessagePurpose, MessageStatus } from './message.enum.ts';
import { queueMessage } from './message.service.ts';
import { messageTransport, type MessageTransport } from './message.transport.ts';

let transport: MessageTransport | undefined;

/** Who a message an event sends is from when no staff user is named (an expiry). */
const SYSTEM = 'system';

/** Minor units as the currency writes them (EUR 2 decimals, JPY none): "€7.00", "-¥500". */
function formatMoney(minor: number, currency: string): string {
  const format = new Intl.NumberFormat('en', { style: 'currency', currency });
  return format.format(minor / 10 ** (format.resolvedOptions().maximumFractionDigits ?? 2));
}

/** What the transport says when it refuses, cut short: its words, never the message's. */
const failureOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 500);

/**
 * C18's delivery and the consent it is sent on:
 * - `message.queued` hands a queued message to the transport once: a redelivered event finds it
 *   sent or failed and leaves it. A refusal is recorded on the message (FAILED, with why) rather
 *   than thrown, so that one bad address does not hold up the customer's later events.
 * - `consent.changed` for a channel keeps the customer's current permission, the newest record
 *   (by consent's outbox position) winning.
 */
export const messageHandlers: EventHandlers = {
  'message.queued': async (tx, event) => {
    const [message] = await tx
      .select()
      .from(messages)
      .where(and(eq(messages.storeId, event.storeId), eq(messages.id, event.payload.messageId)))
      .for('update');
    if (!message || message.status !== MessageStatus.QUEUED) return;
    transport ??= messageTransport();
    try {
      await transport.deliver(tx, message);
      await tx
        .update(messages)
        .set({ status: MessageStatus.SENT, sentAt: new Date(), updatedAt: new Date() })
        .where(and(eq(messages.storeId, message.storeId), eq(messages.id, message.id)));
    } catch (error) {
      await tx
        .update(messages)
        .set({ status: MessageStatus.FAILED, failure: failureOf(error), updatedAt: new Date() })
        .where(and(eq(messages.storeId, message.storeId), eq(messages.id, message.id)));
    }
  },
  // E1: a wallet adjustment that asked for it tells the customer, by email, else by SMS.
  'wallet.changed': async (tx, event) => {
    const change = event.payload;
    if (!change.notifyCustomer || !event.customerId) return;
    const [customer] = await tx
      .select()
      .from(customers)
      .where(and(eq(customers.storeId, event.storeId), eq(customers.id, event.customerId)));
    if (!customer || customer.erasedAt || customer.deletedAt) return;
    const channel = customer.email ? MessageChannel.EMAIL : customer.phone ? MessageChannel.SMS : null;
    if (!channel) return;
    const address = channel === MessageChannel.EMAIL ? customer.email!.toLowerCase() : customer.phone!;
    const [suppressed] = await tx
      .select({ address: messageSuppressions.address })
      .from(messageSuppressions)
      .where(and(eq(messageSuppressions.storeId, event.storeId), eq(messageSuppressions.address, address)));
    if (suppressed) return;
    const amount = `${change.amount >= 0 ? '+' : ''}${formatMoney(change.amount, change.currency)}`;
    await queueMessage(
      tx,
      {
        storeId: event.storeId,
        principal: { kind: 'staff', userId: change.recordedBy ?? SYSTEM, storeId: event.storeId },
      },
      {
        customerId: customer.id,
        channel,
        purpose: MessagePurpose.TRANSACTIONAL,
        address,
        subject: channel === MessageChannel.EMAIL ? 'Your wallet balance has changed' : null,
        body: `Your wallet balance changed by ${amount} (${change.reason}). It is now ${formatMoney(change.balance, change.currency)}.`,
      },
    );
  },
  'consent.changed': async (tx, event) => {
    const { channel, status } = event.payload;
    if (!channel || !event.customerId) return;
    const [known] = await tx
      .select({ id: customers.id })
      .from(customers)
      .where(and(eq(customers.storeId, event.storeId), eq(customers.id, event.customerId)));
    if (!known) return;
    const state = { granted: status.toLowerCase() === 'granted', seq: event.seq, updatedAt: new Date() };
    await tx
      .insert(channelConsents)
      .values({ storeId: event.storeId, customerId: event.customerId, channel: channel.toLowerCase(), ...state })
      .onConflictDoUpdate({
        target: [channelConsents.storeId, channelConsents.customerId, channelConsents.channel],
        set: state,
        setWhere: sql`${channelConsents.seq} < excluded.seq`,
      });
  },
};
