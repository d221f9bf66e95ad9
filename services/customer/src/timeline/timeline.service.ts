import { and, eq, inArray } from 'drizzle-orm';
import { connectionByParent, type BaseContext, keysetSort } from '@cg/subgraph';
import type { Tx } from '@cg/db';
import { customers, timelineEntries, type TimelineEntryRow } from '../db/schema/index.ts';
import type { CustomerDb } from '../context.ts';
import type { TimelineEntryKind } from './timeline.type.ts';

export type NewTimelineEntry = Pick<
  typeof timelineEntries.$inferInsert,
  'storeId' | 'customerId' | 'kind' | 'summary' | 'data' | 'actor' | 'orderId'
> & {
  occurredAt?: Date;
};

/** Newest first; backed by timeline_entries_customer_idx (customer_id, occurred_at, id). */
const timelineSort = keysetSort<TimelineEntryRow>('timeline', 'desc', [
  [timelineEntries.occurredAt, 'timestamptz', (row) => row.occurredAt],
  [timelineEntries.id, 'uuid', (row) => row.id],
]);

/** Writes entries in the caller's transaction: an action and its entry commit together. */
export async function writeTimeline(tx: Tx, entries: NewTimelineEntry[]): Promise<void> {
  if (entries.length) await tx.insert(timelineEntries).values(entries);
}

/**
 * For entries that come from other subgraphs' events: an event may name a customer this store
 * does not have (another store's id, a profile never created here); such entries are skipped.
 */
export async function writeTimelineOfKnownCustomers(tx: Tx, entries: NewTimelineEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const known = await tx
    .select({ id: customers.id })
    .from(customers)
    .where(
      and(
        eq(customers.storeId, entries[0]!.storeId),
        inArray(
          customers.id,
          entries.map((entry) => entry.customerId),
        ),
      ),
    );
  const ids = new Set(known.map((row) => row.id));
  await writeTimeline(
    tx,
    entries.filter((entry) => ids.has(entry.customerId)),
  );
}

export class TimelineService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  forCustomer(
    customerId: string,
    args: { first?: number | null; after?: string | null; kinds?: TimelineEntryKind[] | null },
  ) {
    const kinds = args.kinds?.length ? [...new Set(args.kinds)].sort() : null;
    return connectionByParent(this.ctx, this.db, {
      relation: 'timelineByCustomer',
      parentId: customerId,
      table: timelineEntries,
      parentColumn: timelineEntries.customerId,
      sort: timelineSort,
      where: and(
        eq(timelineEntries.storeId, this.ctx.storeId),
        kinds ? inArray(timelineEntries.kind, kinds) : undefined,
      ),
      filterKey: kinds,
      args,
    });
  }
}
