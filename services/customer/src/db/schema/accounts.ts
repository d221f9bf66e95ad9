import { foreignKey, index, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { createdAt, timestamptz, updatedAt } from '@cg/db';
import { customerSchema } from './base.ts';
import { customers } from './customers.ts';

/**
 * C1, C5: a registered customer's password, as an argon2id hash (accounts/password.ts), one per
 * profile; a customer who registered without one signs in by emailed code (`sign_in_codes`).
 * No GraphQL type reads this table; erasure deletes the row.
 */
export const customerCredentials = customerSchema.table(
  'customer_credentials',
  {
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    passwordHash: text('password_hash').notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    primaryKey({ name: 'customer_credentials_pkey', columns: [t.storeId, t.customerId] }),
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'customer_credentials_customer_fk',
    }).onDelete('cascade'),
  ],
);

/**
 * Failed sign-ins, counted here rather than in memory so that every process of the subgraph sees
 * the same counts. `account_key` is the keyed hash of the email tried (@cg/auth contactHash), so
 * that tries at emails nobody registered are counted alike without keeping those emails;
 * `customer_id` is set when the email was a customer's, for erasure.
 */
export const signInFailures = customerSchema.table(
  'sign_in_failures',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    accountKey: text('account_key').notNull(),
    customerId: uuid('customer_id'),
    ip: text('ip'),
    failedAt: timestamptz('failed_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ name: 'sign_in_failures_pkey', columns: [t.storeId, t.id] }),
    index('sign_in_failures_store_account_idx').on(t.storeId, t.accountKey, t.failedAt),
    index('sign_in_failures_store_ip_idx').on(t.storeId, t.ip, t.failedAt),
    index('sign_in_failures_store_customer_idx').on(t.storeId, t.customerId),
  ],
);

/**
 * C5: one-time password reset tokens. Only the token's sha-256 is stored: the token is 32 random
 * bytes, so a fast hash is enough (nothing to guess by brute force), and a leaked table names no
 * usable token. `requested_by` is the staff user who sent it, null when the customer asked.
 */
export const passwordResetTokens = customerSchema.table(
  'password_reset_tokens',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    tokenHash: text('token_hash').notNull(),
    requestedBy: text('requested_by'),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'password_reset_tokens_pkey', columns: [t.storeId, t.id] }),
    uniqueIndex('password_reset_tokens_store_hash_key').on(t.storeId, t.tokenHash),
    index('password_reset_tokens_store_customer_idx').on(t.storeId, t.customerId),
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'password_reset_tokens_customer_fk',
    }).onDelete('cascade'),
  ],
);

/**
 * C1: passwordless sign-in, a six-digit code emailed to the customer, valid a few minutes, once.
 * Six digits can be guessed where a reset token cannot: the hash is argon2id like a password's (a
 * leaked table does not give the codes away within their minutes), and wrong codes count as failed
 * sign-ins of the account, so its limit (5 in 15 minutes) bounds guessing to 5 in a million.
 */
export const signInCodes = customerSchema.table(
  'sign_in_codes',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    codeHash: text('code_hash').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    usedAt: timestamptz('used_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'sign_in_codes_pkey', columns: [t.storeId, t.id] }),
    index('sign_in_codes_store_customer_idx').on(t.storeId, t.customerId, t.createdAt),
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'sign_in_codes_customer_fk',
    }).onDelete('cascade'),
  ],
);

/**
 * The local delivery of account messages (accounts/account-messages.ts): what would be emailed
 * to the customer, a reset link's token included, kept until the messaging subgraph's outbox
 * sends and deletes them. Requests never read it through GraphQL; erasure deletes the rows.
 */
export const accountMessages = customerSchema.table(
  'account_messages',
  {
    id: uuid('id').notNull().defaultRandom(),
    storeId: uuid('store_id').notNull(),
    customerId: uuid('customer_id').notNull(),
    kind: text('kind').notNull(),
    recipient: text('recipient').notNull(),
    /** The one-time reset token the message's link carries, or the sign-in code it gives. */
    token: text('token').notNull(),
    expiresAt: timestamptz('expires_at'),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ name: 'account_messages_pkey', columns: [t.storeId, t.id] }),
    index('account_messages_store_customer_idx').on(t.storeId, t.customerId, t.createdAt),
    foreignKey({
      columns: [t.storeId, t.customerId],
      foreignColumns: [customers.storeId, customers.id],
      name: 'account_messages_customer_fk',
    }).onDelete('cascade'),
  ],
);
