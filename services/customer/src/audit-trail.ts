import { auditTrail } from '@cg/events';
import { outbox } from './db/schema/index.ts';

/** X5: this subgraph's audit entries, written to its outbox in the transaction of each change. */
export const audit = auditTrail('customer', outbox);

/** Columns the audit log leaves out of every entity's entries: bookkeeping, not what changed. */
export const AUDIT_BOOKKEEPING: readonly string[] = ['storeId', 'createdAt', 'updatedAt'];
