/**
 * Rebuilds the customer directory of commerce-history, engagement and consent (@cg/events'
 * directory.ts) by replaying the customer subgraph's outbox. An operator's tool: it holds each
 * subgraph's own connection, and no subgraph reads another's tables.
 */
import type { Database } from '@cg/db';
import { directoryHandlers, replay, type CustomerDirectoryTable, type EventWiring } from '@cg/events';
import { customerSubgraph } from '@cg/customer';
import { commerceHistorySubgraph } from '@cg/commerce-history';
import { engagementSubgraph } from '@cg/engagement';
import { consentSubgraph } from '@cg/consent';

export interface DirectoryDatabases {
  customer: Database;
  'commerce-history': Database;
  engagement: Database;
  consent: Database;
}

const consumers: [keyof DirectoryDatabases, NonNullable<EventWiring['consumer']>, CustomerDirectoryTable][] = [
  ['commerce-history', commerceHistorySubgraph.events!.consumer!, commerceHistorySubgraph.tables.customerDirectory],
  ['engagement', engagementSubgraph.events!.consumer!, engagementSubgraph.tables.customerDirectory],
  ['consent', consentSubgraph.events!.consumer!, consentSubgraph.tables.customerDirectory],
];

/**
 * Empties each directory and replays the customer events it has applied (the ones still on their
 * way are left to live delivery); rows that lookups wrote for customers whose events have not
 * arrived yet go too, and a later write looks them up again.
 */
export async function rebuildDirectories(dbs: DirectoryDatabases) {
  const results: Record<string, { events: number; replayed: number; pending: number }> = {};
  for (const [name, wiring, table] of consumers) {
    results[name] = await replay({
      consumer: { db: dbs[name], wiring },
      handlers: directoryHandlers(table),
      sources: [{ name: 'customer', db: dbs.customer, outbox: customerSubgraph.tables.outbox }],
      reset: async (tx) => {
        await tx.delete(table);
      },
    });
  }
  return results;
}
