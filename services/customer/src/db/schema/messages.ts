import { sql } from 'drizzle-orm';
import { bigint, boolean, check, foreignKey, index, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { createdAt, pgEnumValues, timestamptz, updatedAt } from '@cg/db';
import { customerSchema } from './base.ts';
import { customers } from './customers.ts';
import { LawfulBasis, MessageChannel, MessagePurpose, MessageStatus } from '../../messages/message.enum.ts';

export const messageChannel = customerSchema.enum('message_channel', pgEnumValues(MessageChannel));
export const messagePurpose = customerSchema.enum('message_purpose', pgEnumValues(MessagePurpose));
export const lawfulBasis = customerSchema.enum('lawful_basis', pgEnumValues(LawfulBasis));
export const messageStatus = customerSchema.enum('message_status', pgEnumValues(MessageStatus));

/**
 * C18: a message to a customer, written in the transaction that decides it may go (the outbox of
 * messages): `message.queued` hands it to the transport (messages/message.delivery.ts). The address
 * is the one it was sent to, as the store must be able to show.
 */
export const messages = customerSchema.table(
  'messages',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    channel: messageChannel('channel').notNull(),
    purpose: messagePurpose('purpose').notNull(),
    lawfulBasis: lawfulBasis('lawful_basis').notNull(),
    address: text('address').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    status: messageStatus('status').notNull().default('queued'),
    /** Why the transport refused it: its own words, never the message. */
    failure: text('failure'),
    /** Staff user id, or `system` for a message an action sends (a wallet change). */
    sentBy: text('sent_by').notNull(),
    createdAt: createdAt(),
    sentAt: timestamptz('sent_at'),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'messages_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'messages_customer_fk',
    }).onDelete('cascade'),
    index('messages_customer_idx').on(t.storeId, t.customerId, t.createdAt, t.id),
    check(
      'messages_basis_check',
      sql`(${t.purpose} = 'marketing') = (${t.lawfulBasis} = 'consent')`,
    ),
  ],
);

/**
 * The customer's current permission per channel in the store, kept from consent's
 * `consent.changed` (the newest record wins by outbox position): marketing is sent on it.
 */
export const channelConsents = customerSchema.table(
  'channel_consents',
  {
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    channel: text('channel').notNull(),
    granted: boolean('granted').notNull(),
    /** The outbox position of consent's record it reflects. */
    seq: bigint('seq', { mode: 'number' }).notNull(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'channel_consents_pkey', columns: [t.storeId, t.customerId, t.channel] }),
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'channel_consents_customer_fk',
    }).onDelete('cascade'),
  ],
);

/** Addresses no message goes to, transactional ones included (hard bounces, complaints). */
export const messageSuppressions = customerSchema.table(
  'message_suppressions',
  {
    storeId: uuid('store_id').notNull(),
    address: text('address').notNull(),
    reason: text('reason').notNull(),
    createdBy: text('created_by').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ name: 'message_suppressions_pkey', columns: [t.storeId, t.address] })],
);

/**
 * The local transport's mailbox: what `pnpm start` delivers instead of sending, so that it needs
 * no mail server and the explorer can list what went out.
 */
export const mailbox = customerSchema.table(
  'mailbox',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    messageId: uuid('message_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    channel: messageChannel('channel').notNull(),
    address: text('address').notNull(),
    subject: text('subject'),
    body: text('body').notNull(),
    deliveredAt: timestamptz('delivered_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'mailbox_pkey', columns: [t.storeId, t.id] }),
    index('mailbox_store_delivered_idx').on(t.storeId, t.deliveredAt, t.id),
  ],
);

export type MessageRow = typeof messages.$inferSelect;
export type MailboxRow = typeof mailbox.$inferSelect;
