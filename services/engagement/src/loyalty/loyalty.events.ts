import { recordEvents } from '@cg/events';
import type { Tx } from '@cg/db';
import { outbox } from '../db/schema.ts';

/** What the timeline (customer subgraph) learns of a ledger entry: no personal data, the staff's reason aside. */
export interface RecordedEntry {
  id: string;
  storeId: string;
  customerId: string;
  kind: string;
  bonus?: string | null;
  bonusYear?: number | null;
  points: number;
  shortfall?: number;
  orderId?: string | null;
  reason?: string | null;
  createdBy?: string | null;
}

/**
 * C11: the entries a customer's timeline shows (bonuses, adjustments, redemptions, reversals,
 * expiries), announced in the transaction that writes them. EARNED entries are not: the order's
 * own timeline entry says it.
 */
export async function announceEntries(tx: Tx, entries: readonly RecordedEntry[]): Promise<void> {
  await recordEvents(
    tx,
    outbox,
    entries
      .filter((entry) => entry.kind !== 'earned')
      .map((entry) => ({
        type: 'loyalty.entry_recorded' as const,
        storeId: entry.storeId,
        customerId: entry.customerId,
        payload: {
          entryId: entry.id,
          kind: entry.kind,
          bonus: entry.bonus ?? null,
          bonusYear: entry.bonusYear ?? null,
          points: entry.points,
          shortfall: entry.shortfall ?? 0,
          orderId: entry.orderId ?? null,
          reason: entry.reason ?? null,
          recordedBy: entry.createdBy ?? null,
        },
      })),
  );
}
