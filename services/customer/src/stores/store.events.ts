import { recordEvents } from '@cg/events';
import type { Tx } from '@cg/db';
import { outbox, type StoreRow } from '../db/schema/index.ts';

/**
 * T1: the store's settings as they are in this transaction, for the subgraphs that keep a copy
 * (engagement's store_settings). Called with the store row locked (created or updated in `tx`), so
 * the event's outbox position follows the order in which changes to the store commit.
 */
export function announceSettings(tx: Tx, store: StoreRow): Promise<void> {
  return recordEvents(tx, outbox, [
    { type: 'store.settings_changed', storeId: store.id, customerId: null, payload: { timeZone: store.timeZone } },
  ]);
}
