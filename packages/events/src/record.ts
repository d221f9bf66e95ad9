import { getTableConfig } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import type { NewEvent } from './catalog.ts';
import type { OutboxTable } from './tables.ts';

export const OUTBOX_CHANNEL = 'cg_outbox';

/**
 * Records events in the caller's transaction, so they exist exactly when the change does; the
 * notification wakes the producer's relay at commit.
 */
export async function recordEvents(tx: Tx, outbox: OutboxTable, events: NewEvent[]): Promise<void> {
  if (events.length === 0) return;
  await tx.insert(outbox).values(
    events.map((event) => ({
      type: event.type,
      storeId: event.storeId,
      customerId: event.customerId,
      payload: event.payload,
    })),
  );
  await tx.execute(sql`select pg_notify(${OUTBOX_CHANNEL}, ${getTableConfig(outbox).schema ?? 'public'})`);
}
