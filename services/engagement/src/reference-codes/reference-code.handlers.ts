import { and, eq, isNull, sql } from 'drizzle-orm';
import type { EventHandlers } from '@cg/events';
import { referenceCodes, referenceCodeStatusChanges } from '../db/schema.ts';
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
export const referenceCodeHandlers: EventHandlers = {
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
