import { asc, gt } from 'drizzle-orm';
import type { PgDatabase } from 'drizzle-orm/pg-core';
import type { Database } from '@cg/db';
import type { SubgraphName } from './catalog.ts';
import { applyEventIn, toDomainEvent, type EventWiring } from './delivery.ts';

type Tx = PgDatabase<any, any, any>;

export interface ReplaySource {
  name: SubgraphName;
  db: Database;
  outbox: NonNullable<EventWiring['outbox']>;
}

/**
 * Rebuilds a consumer's derived data from scratch: `reset` empties it and the consumer's record
 * of applied events in one transaction, then every producer's outbox is applied again in order,
 * a batch per transaction. Events delivered live meanwhile are applied once either way.
 */
export async function replay(options: {
  consumer: { db: Database; wiring: NonNullable<EventWiring['consumer']> };
  sources: ReplaySource[];
  reset: (tx: Tx) => Promise<void>;
  batchSize?: number;
}): Promise<{ events: number; applied: number }> {
  const { db, wiring } = options.consumer;
  await db.orm.transaction(async (tx) => {
    await options.reset(tx);
    await tx.delete(wiring.applied);
  });
  let events = 0;
  let applied = 0;
  for (const source of options.sources) {
    let after = 0;
    for (;;) {
      const rows = await source.db.orm
        .select()
        .from(source.outbox)
        .where(gt(source.outbox.seq, after))
        .orderBy(asc(source.outbox.seq))
        .limit(options.batchSize ?? 1000);
      if (rows.length === 0) break;
      after = rows.at(-1)!.seq;
      events += rows.length;
      applied += await db.orm.transaction(async (tx) => {
        let count = 0;
        for (const row of rows) {
          if (await applyEventIn(tx, wiring, toDomainEvent(source.name, row))) count += 1;
        }
        return count;
      });
    }
  }
  return { events, applied };
}
