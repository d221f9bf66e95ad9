import { appliedEventsTable, customerDirectoryTable, outboxTable } from '@cg/events';
import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  char,
  check,
  foreignKey,
  index,
  pgSchema,
  primaryKey,
  text,
  unique,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { createdAt, minorUnits, pgEnumValues, timestamptz, updatedAt } from '@cg/db';
import { WalletEntryKind } from '../wallet/wallet.enum.ts';

export const engagementSchema = pgSchema('engagement');

export const walletEntryKind = engagementSchema.enum('wallet_entry_kind', pgEnumValues(WalletEntryKind));

/**
 * E1: one wallet per customer of a store. `balance` always equals the sum of the wallet's ledger
 * entries and the sum of its credits' `remaining`; it is only changed while the row is locked.
 */
export const wallets = engagementSchema.table(
  'wallets',
  {
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    /** Set by the first adjustment; never changes. */
    currency: char('currency', { length: 3 }).notNull(),
    /** Minor units. */
    balance: minorUnits('balance').notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'wallets_pkey', columns: [t.storeId, t.customerId] }),
    // Target of the entries' foreign key: an entry cannot be in another currency than its wallet.
    unique('wallets_store_customer_currency_key').on(t.storeId, t.customerId, t.currency),
    // The backstop of "never below zero": the service checks first and answers BAD_USER_INPUT.
    check('wallets_balance_check', sql`${t.balance} >= 0`),
  ],
);

/**
 * E1/E2: the append-only wallet ledger (a trigger refuses deletes and any update but lowering a
 * credit's `remaining`). Amounts are signed minor units: credits positive, debits and expiries
 * negative. A credit's `remaining` is what debits and expiry have not yet taken from it.
 */
export const walletEntries = engagementSchema.table(
  'wallet_entries',
  {
    id: uuid('id').notNull().defaultRandom(),
    /** Insertion order: breaks ties between entries written in one transaction. */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    kind: walletEntryKind('kind').notNull(),
    amount: minorUnits('amount').notNull(),
    currency: char('currency', { length: 3 }).notNull(),
    reason: text('reason').notNull(),
    /** Credits only: from this instant the unspent rest no longer counts. */
    expiresAt: timestamptz('expires_at'),
    /** Credits only. */
    remaining: minorUnits('remaining'),
    /** Expiry entries only: the credit whose rest expired. */
    expiredCreditId: uuid('expired_credit_id'),
    /** Staff user id from the access token; null for entries the system writes (expiry). */
    createdBy: text('created_by'),
    /** The staff asked for the customer to be notified (sending is not implemented yet). */
    notifyCustomer: boolean('notify_customer').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'wallet_entries_pkey', columns: [t.storeId, t.id] }),
    foreignKey({
      columns: [t.storeId, t.customerId, t.currency],
      foreignColumns: [wallets.storeId, wallets.customerId, wallets.currency],
      name: 'wallet_entries_wallet_fk',
    }),
    foreignKey({
      columns: [t.storeId, t.expiredCreditId],
      foreignColumns: [t.storeId, t.id],
      name: 'wallet_entries_expired_credit_fk',
    }),
    check(
      'wallet_entries_amount_check',
      sql`(${t.kind} = 'credit' and ${t.amount} > 0) or (${t.kind} in ('debit', 'expiry') and ${t.amount} < 0)`,
    ),
    check(
      'wallet_entries_remaining_check',
      sql`case when ${t.kind} = 'credit' then ${t.remaining} is not null and ${t.remaining} between 0 and ${t.amount} else ${t.remaining} is null end`,
    ),
    check('wallet_entries_expires_at_check', sql`${t.kind} = 'credit' or ${t.expiresAt} is null`),
    check('wallet_entries_expired_credit_check', sql`(${t.kind} = 'expiry') = (${t.expiredCreditId} is not null)`),
    // A credit expires once.
    uniqueIndex('wallet_entries_expired_credit_key')
      .on(t.storeId, t.expiredCreditId)
      .where(sql`${t.expiredCreditId} is not null`),
    // Wallet history per customer and for the whole store, newest first.
    index('wallet_entries_customer_idx').on(t.storeId, t.customerId, t.createdAt, t.seq),
    index('wallet_entries_store_idx').on(t.storeId, t.createdAt, t.seq),
    // Open credits of a wallet in spending order (soonest expiry first), and lapsed ones.
    index('wallet_entries_open_credits_idx')
      .on(t.storeId, t.customerId, t.expiresAt, t.seq)
      .where(sql`${t.kind} = 'credit' and ${t.remaining} > 0`),
    // The expiry sweep across all stores.
    index('wallet_entries_open_expiry_idx')
      .on(t.expiresAt)
      .where(sql`${t.kind} = 'credit' and ${t.remaining} > 0 and ${t.expiresAt} is not null`),
  ],
);

/** Domain events of this subgraph (packages/events). */
export const outbox = outboxTable(engagementSchema);

/** Events of other subgraphs applied here (the customer directory's), so a redelivery changes nothing. */
export const appliedEvents = appliedEventsTable(engagementSchema);

/** The customers of each store, kept from the customer subgraph's events (@cg/events' directory.ts). */
export const customerDirectory = customerDirectoryTable(engagementSchema);

export const tables = { wallets, walletEntries, walletEntryKind, outbox, appliedEvents, customerDirectory };
export type WalletRow = typeof wallets.$inferSelect;
export type WalletEntryRow = typeof walletEntries.$inferSelect;
