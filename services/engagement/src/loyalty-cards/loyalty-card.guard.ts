import { and, eq } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import type { Tx } from '@cg/db';
import { conflict } from '@cg/subgraph';
import { loyaltyCards } from '../db/schema.ts';

/** `extensions.reason` of the CONFLICT a redemption gets while the customer's cards are all blocked. */
const LOYALTY_CARDS_BLOCKED = 'LOYALTY_CARDS_BLOCKED';

/**
 * E5 ("a blocked card neither earns nor redeems"): true when the customer holds cards in the store
 * and none of them is ACTIVE. Cards are optional in a program (S2 lists them beside the points), so
 * a customer without any card earns and redeems as before; one ACTIVE card of any type is enough,
 * as the points are the customer's, not a card's. A REPLACED card counts as not active, its
 * replacement as active. Manual adjustments by staff are not held back: they are how staff correct.
 */
export async function earningBlocked(tx: Tx, storeId: string, customerId: string): Promise<boolean> {
  // Shared locks: a block or a replacement of one of these cards waits for this transaction, and
  // this one for theirs, so a redemption or an earning is judged by the cards as they are after
  // every concurrent change, never by a status a block has just overtaken.
  const cards = await tx
    .select({ status: loyaltyCards.status })
    .from(loyaltyCards)
    .where(and(eq(loyaltyCards.storeId, storeId), eq(loyaltyCards.customerId, customerId)))
    .for('share');
  return cards.length > 0 && !cards.some((card) => card.status === 'active');
}

/** For the redemption: CONFLICT with `extensions.reason` LOYALTY_CARDS_BLOCKED when earningBlocked. */
export async function refuseBlockedRedemption(tx: Tx, storeId: string, customerId: string): Promise<void> {
  if (!(await earningBlocked(tx, storeId, customerId))) return;
  const message = "The customer's loyalty cards are blocked: points cannot be redeemed";
  throw new GraphQLError(message, {
    extensions: { ...conflict(message).extensions, reason: LOYALTY_CARDS_BLOCKED },
  });
}
