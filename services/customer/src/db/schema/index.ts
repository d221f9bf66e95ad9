import { accessGrants, staffMembers, staffRoles } from './access.ts';
import { accountMessages, customerCredentials, passwordResetTokens, signInCodes, signInFailures } from './accounts.ts';
import { addresses, addressKind } from './addresses.ts';
import { blacklistEntries, blacklistReason } from './blacklist.ts';
import { auditActorKind, auditEntries } from './audit.ts';
import { customers, customerStatus } from './customers.ts';
import { appliedEvents, outbox } from './events.ts';
import { guests } from './guests.ts';
import { gender, identities } from './identities.ts';
import { customerMetrics, metricsOrders, metricsOrderSkus } from './metrics.ts';
import { segments } from './segments.ts';
import { stores } from './stores.ts';
import { timelineEntries, timelineKind } from './timeline.ts';
import { watchlist } from './watchlist.ts';
import { channelConsents, lawfulBasis, mailbox, messageChannel, messagePurpose, messageStatus, messages, messageSuppressions } from './messages.ts';

export * from './access.ts';
export * from './accounts.ts';
export * from './addresses.ts';
export * from './audit.ts';
export * from './blacklist.ts';
export * from './customers.ts';
export * from './events.ts';
export * from './guests.ts';
export * from './identities.ts';
export * from './metrics.ts';
export * from './segments.ts';
export * from './stores.ts';
export * from './timeline.ts';
export * from './watchlist.ts';
export * from './messages.ts';

export const tables = {
  staffRoles,
  staffMembers,
  accessGrants,
  auditEntries,
  auditActorKind,
  outbox,
  guests,
  timelineEntries,
  timelineKind,
  stores,
  identities,
  customers,
  addresses,
  customerMetrics,
  metricsOrders,
  metricsOrderSkus,
  watchlist,
  blacklistEntries,
  blacklistReason,
  customerCredentials,
  signInFailures,
  passwordResetTokens,
  signInCodes,
  accountMessages,
  segments,
  appliedEvents,
  customerStatus,
  gender,
  addressKind,
  messages,
  channelConsents,
  messageSuppressions,
  mailbox,
  messageChannel,
  messagePurpose,
  lawfulBasis,
  messageStatus,
};
