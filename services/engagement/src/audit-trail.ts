import { auditTrail } from '@cg/events';
import { outbox } from './db/schema.ts';

/** X5: this subgraph's audit entries, written to its outbox in the transaction of each change. */
export const audit = auditTrail('engagement', outbox);
