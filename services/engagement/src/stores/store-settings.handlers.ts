import { sql } from 'drizzle-orm';
import type { EventHandlers } from '@cg/events';
import { storeSettings } from '../db/schema.ts';

export const storeSettingsHandlers: EventHandlers = {
  /**
   * T1: the newest settings win. The customer subgraph announces them with the store row locked,
   * so a higher `seq` is a later change; an older event redelivered after a newer one (a retry,
   * a replay) leaves the row as it is.
   */
  'store.settings_changed': async (tx, event) => {
    const row = {
      storeId: event.storeId,
      timeZone: event.payload.timeZone,
      eventSeq: event.seq,
      updatedAt: new Date(event.occurredAt),
    };
    await tx
      .insert(storeSettings)
      .values(row)
      .onConflictDoUpdate({
        target: storeSettings.storeId,
        set: { timeZone: row.timeZone, eventSeq: row.eventSeq, updatedAt: row.updatedAt },
        setWhere: sql`${storeSettings.eventSeq} < ${row.eventSeq}`,
      });
  },
};
