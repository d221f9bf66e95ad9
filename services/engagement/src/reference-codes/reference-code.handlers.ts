import { and, eq, isNull, sql } from 'drizzle-orm';
import type { DomainEvent, EventHandlers } from '@cg/events';
import type { Tx } from '@cg/db';
import { referenceCodeOrders, referenceCodes, referenceCodeStatusChanges } from '../db/schema.ts';
import { isPurchase } from '../loyalty/loyalty.handlers.ts';
import { settleOrderRewards } from './reference-code.rewards.ts';
import { ReferenceCodeAction, ReferenceCodeStatus } from './reference-code.enum.ts';
import { referenceCodeStatus } from './reference-code.status.ts';

/** The name an erased referrer's codes keep, and who the history says expired them. */
const ERASED_NAME = 'Erased customer';
const ERASURE_ACTOR = 'erasure';

/**
 * C19 for reference codes. Uses and accesses keep the ids they name, as the loyalty and wallet
 * ledgers do (ids, not personal data; the directory refuses new uses by the erased customer). An
 * erased referrer's USER codes, whose code and name are often the person's own ("RITA-FRIENDS"),
 * expire (final) and lose both: the code becomes `ERASED-<id>`, still unique, and the name a
 * placeholder; the history records the expiry.
 */
/**
 * E9: a recorded order, or a guest's linked to a profile: who it is of, its platform and whether it
 * counts now. A recording met again (a replay) keeps what later events said of its status.
 */
async function orderKnown(tx: Tx, event: DomainEvent<'order.recorded' | 'order.linked'>): Promise<void> {
  const order = event.payload;
  const counts = isPurchase(order.status);
  await tx
    .insert(referenceCodeOrders)
    .values({
      storeId: event.storeId,
      orderId: order.orderId,
      customerId: event.customerId,
      platform: order.platform,
      counts,
    })
    .onConflictDoUpdate({
      target: [referenceCodeOrders.storeId, referenceCodeOrders.orderId],
      set: {
        customerId: sql`coalesce(excluded.customer_id, ${referenceCodeOrders.customerId})`,
        platform: sql`coalesce(excluded.platform, ${referenceCodeOrders.platform})`,
        ...(event.type === 'order.linked' ? { counts } : {}),
        updatedAt: new Date(),
      },
    });
  await settleOrderRewards(tx, event.storeId, order.orderId);
}

export const referenceCodeHandlers: EventHandlers = {
  'order.recorded': orderKnown,
  'order.linked': orderKnown,

  /** E9: an order that starts or stops counting grants or reverses its uses' rewards. */
  'order.status_changed': async (tx, event) => {
    const change = event.payload;
    const counts = isPurchase(change.to);
    await tx
      .insert(referenceCodeOrders)
      .values({ storeId: event.storeId, orderId: change.orderId, customerId: event.customerId, counts })
      .onConflictDoUpdate({
        target: [referenceCodeOrders.storeId, referenceCodeOrders.orderId],
        set: { counts, updatedAt: new Date() },
      });
    await settleOrderRewards(tx, event.storeId, change.orderId);
  },

  /** E9: a use on an order that already counts is rewarded now; otherwise when the order counts. */
  'reference_code.used': async (tx, event) => {
    if (event.payload.orderId) await settleOrderRewards(tx, event.storeId, event.payload.orderId);
  },

  'customer.erased': async (tx, event) => {
    if (!event.customerId) return;
    const erasedAt = new Date(event.payload.erasedAt);
    const owned = and(eq(referenceCodes.storeId, event.storeId), eq(referenceCodes.ownerId, event.customerId));
    const open = await tx
      .select()
      .from(referenceCodes)
      .where(and(owned, isNull(referenceCodes.expiredAt)))
      .for('update');
    await tx
      .update(referenceCodes)
      .set({
        expiredAt: sql`coalesce(${referenceCodes.expiredAt}, ${erasedAt.toISOString()}::timestamptz)`,
        name: ERASED_NAME,
        code: sql`'ERASED-' || replace(${referenceCodes.id}::text, '-', '')`,
        updatedAt: new Date(),
      })
      .where(owned);
    const changes = open
      .map((code) => ({ code, from: referenceCodeStatus(code, erasedAt) }))
      .filter(({ from }) => from !== ReferenceCodeStatus.EXPIRED)
      .map(({ code, from }) => ({
        storeId: event.storeId,
        codeId: code.id,
        action: ReferenceCodeAction.EXPIRE,
        fromStatus: from,
        toStatus: ReferenceCodeStatus.EXPIRED,
        changedBy: ERASURE_ACTOR,
        changedAt: erasedAt,
      }));
    if (changes.length) await tx.insert(referenceCodeStatusChanges).values(changes);
  },
};
