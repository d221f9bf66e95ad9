import { and, eq } from 'drizzle-orm';
import { recordEvents } from '@cg/events';
import type { Tx } from '@cg/db';
import { loyaltyAccounts, loyaltyTiers, outbox } from '../db/schema.ts';

/**
 * E4: the account's figures and tier as they are now in this transaction, for the customer
 * subgraph's projection: consumers keep those of the latest event (its `seq`). Every change of
 * the points goes through the ledger's `move()`, every change of the tier through `reviewTier`,
 * and both announce here.
 */
export async function announceAccount(tx: Tx, storeId: string, customerId: string): Promise<void> {
  const [account] = await tx
    .select({ points: loyaltyAccounts.points, pendingPoints: loyaltyAccounts.pendingPoints, tier: loyaltyTiers.name })
    .from(loyaltyAccounts)
    .leftJoin(
      loyaltyTiers,
      and(eq(loyaltyTiers.storeId, loyaltyAccounts.storeId), eq(loyaltyTiers.id, loyaltyAccounts.tierId)),
    )
    .where(and(eq(loyaltyAccounts.storeId, storeId), eq(loyaltyAccounts.customerId, customerId)));
  if (!account) return;
  await recordEvents(tx, outbox, [{ type: 'loyalty.changed', storeId, customerId, payload: account }]);
}

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
