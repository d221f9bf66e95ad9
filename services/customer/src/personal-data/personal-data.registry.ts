import { eq, or, sql } from 'drizzle-orm';
import type { PersonalDataRegistry } from '@cg/subgraph';
import {
  accountMessages,
  addresses,
  auditEntries,
  customerCredentials,
  customerMetrics,
  customers,
  guests,
  metricsOrderSkus,
  metricsOrders,
  outbox,
  passwordResetTokens,
  signInCodes,
  signInFailures,
  timelineEntries,
  watchlist,
  channelConsents,
  mailbox,
  messages,
} from '../db/schema/index.ts';

const FIGURES = "sums of the orders, nothing personal: the store's statistics keep adding up";

/**
 * C19 in the customer subgraph. The profile row and its id stay (blocked, anonymised) because
 * orders, payments, ledgers and consent records elsewhere are kept as anonymised records under that
 * id; addresses, the watchlist and the guest the person was go; the timeline and audit trail keep
 * what happened and when, without the personal text (erasure/erasure.service.ts).
 */
export const personalData: PersonalDataRegistry = [
  {
    section: 'profile',
    table: customers,
    customerColumns: [customers.id],
    erasure: {
      kind: 'custom',
      why: 'anonymised and blocked in place, the identity released with the last profile',
    },
  },
  { section: 'addresses', table: addresses, customerColumns: [addresses.customerId], erasure: { kind: 'delete' } },
  { section: 'watchlist', table: watchlist, customerColumns: [watchlist.customerId], erasure: { kind: 'delete' } },
  {
    // The guest they were (C13) is the same person: converted, or with their contact but not marked,
    // when the guest's first order and the registration crossed.
    section: 'guest',
    table: guests,
    customerColumns: [guests.convertedCustomerId],
    about: (customerId, storeId) =>
      or(
        eq(guests.convertedCustomerId, customerId),
        sql`lower(${guests.email}) = (select lower(${customers.email}) from ${customers} where ${customers.storeId} = ${storeId} and ${customers.id} = ${customerId})`,
        sql`${guests.phone} = (select ${customers.phone} from ${customers} where ${customers.storeId} = ${storeId} and ${customers.id} = ${customerId})`,
      )!,
    erasure: { kind: 'delete' },
  },
  {
    section: 'timeline',
    table: timelineEntries,
    customerColumns: [timelineEntries.customerId],
    erasure: { kind: 'custom', why: "the entries stay, without contact details, address lines and notes' text" },
  },
  {
    section: 'auditEntries',
    table: auditEntries,
    customerColumns: [auditEntries.customerId],
    erasure: { kind: 'custom', why: "the entries stay, their snapshots without the customer's personal keys" },
  },
  {
    section: 'metrics',
    table: customerMetrics,
    customerColumns: [customerMetrics.customerId],
    erasure: { kind: 'keep', why: FIGURES },
  },
  {
    section: 'metricsOrders',
    table: metricsOrders,
    customerColumns: [metricsOrders.customerId],
    erasure: { kind: 'keep', why: FIGURES },
  },
  {
    section: 'metricsOrderSkus',
    table: metricsOrderSkus,
    customerColumns: [metricsOrderSkus.customerId],
    erasure: { kind: 'keep', why: FIGURES },
  },
  // C1, C5: the sign-in account goes whole, so the erased profile cannot sign in again. Its
  // secrets stay out of the document: a hash of a password or code, and above all a working reset
  // token, would give whoever holds the export a way in.
  {
    section: 'credentials',
    table: customerCredentials,
    customerColumns: [customerCredentials.customerId],
    erasure: { kind: 'delete' },
    omit: [customerCredentials.passwordHash],
  },
  {
    // Failures at an email no profile had name no customer: only a keyed hash of the email.
    section: 'signInFailures',
    table: signInFailures,
    customerColumns: [signInFailures.customerId],
    erasure: { kind: 'delete' },
    omit: [signInFailures.accountKey],
  },
  {
    section: 'passwordResets',
    table: passwordResetTokens,
    customerColumns: [passwordResetTokens.customerId],
    erasure: { kind: 'delete' },
    omit: [passwordResetTokens.tokenHash],
  },
  {
    section: 'signInCodes',
    table: signInCodes,
    customerColumns: [signInCodes.customerId],
    erasure: { kind: 'delete' },
    omit: [signInCodes.codeHash],
  },
  {
    section: 'accountMessages',
    table: accountMessages,
    customerColumns: [accountMessages.customerId],
    erasure: { kind: 'delete' },
    omit: [accountMessages.token],
  },
  {
    section: 'events',
    table: outbox,
    customerColumns: [outbox.customerId],
    erasure: { kind: 'custom', why: "scrubOutbox removes the person's keys from the events" },
    notExported: 'the events repeat the rows of the sections above',
  },
  // C18: what was sent to the person, and the permissions it was sent on (consent keeps the proof).
  { section: 'messages', table: messages, customerColumns: [messages.customerId], erasure: { kind: 'delete' } },
  { section: 'mailbox', table: mailbox, customerColumns: [mailbox.customerId], erasure: { kind: 'delete' } },
  {
    section: 'channelConsents',
    table: channelConsents,
    customerColumns: [channelConsents.customerId],
    erasure: { kind: 'delete' },
  },
];
