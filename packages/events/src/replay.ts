import { asc, gt, inArray, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import type { Database, Tx } from '@cg/db';
import type { DomainEvent, SubgraphName } from './catalog.ts';
import { toDomainEvent, type EventHandlers, type EventWiring } from './delivery.ts';

export interface ReplaySource {
  name: SubgraphName;
  db: Database;
  outbox: NonNullable<EventWiring['outbox']>;
}

/**
 * Rebuilds one part of a consumer's derived data (e.g. the metrics projection) from scratch:
 * `reset` empties it, then `handlers`, the part of the consumer that builds it, run again over
 * every producer's outbox in order.
 *
 * Only events the consumer has already applied are replayed: those it has not are still on their
 * way and live delivery will apply them whole. The other parts of the consumer (the timeline,
 * guests…) are not run again, so nothing of theirs is written twice. It all happens in one
 * transaction that holds the consumer's `applied_events` against writes: live delivery waits
 * meanwhile, so no event is counted twice or missed, and a failed rebuild leaves the old data.
 */
export async function replay(options: {
  consumer: { db: Database; wiring: NonNullable<EventWiring['consumer']> };
  handlers: EventHandlers;
  sources: ReplaySource[];
  reset: (tx: Tx) => Promise<void>;
  batchSize?: number;
}): Promise<{ events: number; replayed: number; pending: number }> {
  const { db, wiring } = options.consumer;
  const applied = wiring.applied;
  const { name, schema } = getTableConfig(applied);
  return db.orm.transaction(async (tx) => {
    await tx.execute(sql`lock table ${sql.identifier(schema ?? 'public')}.${sql.identifier(name)} in exclusive mode`);
    await options.reset(tx);
    const counts = { events: 0, replayed: 0, pending: 0 };
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
        counts.events += rows.length;
        const handled = rows.filter((row) => row.type in options.handlers);
        if (handled.length === 0) continue;
        const done = await tx
          .select({ id: applied.eventId })
          .from(applied)
          .where(
            inArray(
              applied.eventId,
              handled.map((row) => row.id),
            ),
          );
        const doneIds = new Set(done.map((row) => row.id));
        for (const row of handled) {
          if (!doneIds.has(row.id)) {
            counts.pending += 1;
            continue;
          }
          const event = toDomainEvent(source.name, row);
          const handler = options.handlers[event.type] as (tx: Tx, event: DomainEvent) => Promise<void>;
          await handler(tx, event);
          counts.replayed += 1;
        }
      }
    }
    return counts;
  });
}
