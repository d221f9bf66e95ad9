import { appliedEventsTable, outboxTable } from '@cg/events';
import { customerSchema } from './base.ts';

export const appliedEvents = appliedEventsTable(customerSchema);

/** Domain events of this subgraph: registrations, which link a guest's earlier orders (C1). */
export const outbox = outboxTable(customerSchema);
