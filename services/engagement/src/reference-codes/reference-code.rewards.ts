import { and, eq, inArray, isNotNull, isNull, ne, or, sql } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import {
  customerDirectory,
  loyaltyPrograms,
  referenceCodeOrders,
  referenceCodeRewards,
  referenceCodes,
  referenceCodeUses,
  type ReferenceCodeRewardRow,
} from '../db/schema.ts';
import { grantBonus, lockAccount, writeSpendableEntry } from '../loyalty/loyalty.ledger.ts';
import { creditWallet, debitWallet } from '../wallet/wallet.service.ts';
import { ReferenceRewardBeneficiary, ReferenceRewardKind, ReferenceRewardStatus } from './reference-code.enum.ts';

/**
 * E9: brings the rewards of an order's uses in line with the order. Rewards are granted when the
 * use's order counts as a purchase, not when the code is used: a code used on an order that is
 * never paid, or cancelled before it counts, grants nothing. A use at registration (no order)
 * waits for the customer's next order that counts, which it is then bound to. Once the order stops counting
 * (cancelled, expired, returned) they are reversed, finally: an order counting again later grants
 * nothing more (as loyalty's reversals are final).
 *
 * Called by every event that can change this (the order's events, and the use's own
 * `reference_code.used`), which arrive in any order: a transaction-scoped lock on the order makes
 * them take turns, so the second always sees what the first committed (a use is committed before
 * its event exists, an order's row by the handler that holds the lock). Each reward is one row of
 * reference_code_rewards, keyed by use and beneficiary: a replayed event finds it and writes
 * nothing, and a reversal changes only rows still GRANTED.
 */
export async function settleOrderRewards(tx: Tx, storeId: string, orderId: string): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`reference-order:${storeId}:${orderId}`}, 0))`);
  const [order] = await tx
    .select({ counts: referenceCodeOrders.counts, customerId: referenceCodeOrders.customerId })
    .from(referenceCodeOrders)
    .where(and(eq(referenceCodeOrders.storeId, storeId), eq(referenceCodeOrders.orderId, orderId)));
  if (!order) return;
  if (order.counts) await grant(tx, storeId, orderId, order.customerId);
  else await reverse(tx, storeId, orderId);
}

/**
 * The rewards owed to the uses of the order, and to the customer's uses at registration not
 * rewarded yet (`done` keeps either from being paid twice, whatever order they were bound to).
 */
async function grant(tx: Tx, storeId: string, orderId: string, customerId: string | null): Promise<void> {
  const uses = await tx
    .select({ use: referenceCodeUses, code: referenceCodes.code })
    .from(referenceCodeUses)
    .innerJoin(
      referenceCodes,
      and(eq(referenceCodes.storeId, referenceCodeUses.storeId), eq(referenceCodes.id, referenceCodeUses.codeId)),
    )
    .where(
      and(
        eq(referenceCodeUses.storeId, storeId),
        or(
          eq(referenceCodeUses.orderId, orderId),
          customerId ? and(isNull(referenceCodeUses.orderId), eq(referenceCodeUses.customerId, customerId)) : undefined,
        ),
        ne(referenceCodeUses.rewards, sql`'[]'::jsonb`),
      ),
    );
  if (uses.length === 0) return;
  const done = await tx
    .select({ useId: referenceCodeRewards.useId, beneficiary: referenceCodeRewards.beneficiary })
    .from(referenceCodeRewards)
    .where(
      and(
        eq(referenceCodeRewards.storeId, storeId),
        inArray(
          referenceCodeRewards.useId,
          uses.map(({ use }) => use.id),
        ),
      ),
    );
  const [program] = await tx
    .select({ expiryMonths: loyaltyPrograms.expiryMonths })
    .from(loyaltyPrograms)
    .where(eq(loyaltyPrograms.storeId, storeId));
  for (const { use, code } of uses) {
    for (const term of use.rewards) {
      if (done.some((row) => row.useId === use.id && row.beneficiary === term.beneficiary)) continue;
      const beneficiary = term.beneficiary === ReferenceRewardBeneficiary.REFERRER ? use.referrerId : use.customerId;
      if (!beneficiary || (await erased(tx, storeId, beneficiary))) continue;
      const reason = `Reward of reference code ${code}`;
      let entryId: string | null = null;
      if (term.kind === ReferenceRewardKind.POINTS) {
        entryId = await grantBonus(tx, storeId, beneficiary, {
          kind: 'referral',
          points: term.amount,
          reason,
          expiryMonths: program?.expiryMonths ?? null,
        });
      } else if (term.kind === ReferenceRewardKind.WALLET) {
        entryId = await creditWallet(tx, {
          storeId,
          customerId: beneficiary,
          amount: term.amount,
          currency: term.currency!,
          reason,
        });
        // A wallet in another currency cannot take it: nothing is granted (nor recorded as granted).
        if (!entryId) continue;
      }
      // A plain insert: should the row exist after all, the event fails and is retried, and the
      // retry finds it, rather than leaving a ledger entry without its reward.
      await tx.insert(referenceCodeRewards).values({
        storeId,
        useId: use.id,
        beneficiary: term.beneficiary,
        codeId: use.codeId,
        customerId: beneficiary,
        refereeId: use.customerId,
        orderId,
        kind: term.kind,
        amount: term.amount,
        currency: term.currency,
        status: ReferenceRewardStatus.GRANTED,
        entryId,
      });
    }
  }
}

/** The ledgers take back what they gave, with entries of their own; what was spent since is the shortfall. */
async function reverse(tx: Tx, storeId: string, orderId: string): Promise<void> {
  const granted = await tx
    .select()
    .from(referenceCodeRewards)
    .where(
      and(
        eq(referenceCodeRewards.storeId, storeId),
        eq(referenceCodeRewards.orderId, orderId),
        eq(referenceCodeRewards.status, ReferenceRewardStatus.GRANTED),
      ),
    )
    .for('update');
  for (const reward of granted) {
    const reason = 'Reference code reward reversed: its order no longer counts';
    const { entryId, shortfall } = await takeBack(tx, reward, reason);
    await tx
      .update(referenceCodeRewards)
      .set({ status: ReferenceRewardStatus.REVERSED, reversedAt: new Date(), reversalEntryId: entryId, shortfall })
      .where(
        and(
          eq(referenceCodeRewards.storeId, storeId),
          eq(referenceCodeRewards.useId, reward.useId),
          eq(referenceCodeRewards.beneficiary, reward.beneficiary),
        ),
      );
  }
}

async function takeBack(
  tx: Tx,
  reward: ReferenceCodeRewardRow,
  reason: string,
): Promise<{ entryId: string | null; shortfall: number }> {
  const { storeId, customerId, amount } = reward;
  switch (reward.kind) {
    case ReferenceRewardKind.POINTS: {
      const account = await lockAccount(tx, storeId, customerId);
      const taken = Math.min(amount, account.points);
      if (taken <= 0) return { entryId: null, shortfall: amount };
      const { entry } = await writeSpendableEntry(tx, {
        storeId,
        customerId,
        kind: 'adjusted',
        points: -taken,
        reason,
        shortfall: amount - taken,
        createdBy: null,
      });
      return { entryId: entry.id, shortfall: amount - taken };
    }
    case ReferenceRewardKind.WALLET:
      return debitWallet(tx, { storeId, customerId, amount, reason });
    default:
      // DISCOUNT: nothing was paid out: the discount was the order's, and the order is undone.
      return { entryId: null, shortfall: 0 };
  }
}

/** An erased customer gets no new ledger entries (C19). */
async function erased(tx: Tx, storeId: string, customerId: string): Promise<boolean> {
  const [row] = await tx
    .select({ customerId: customerDirectory.customerId })
    .from(customerDirectory)
    .where(
      and(
        eq(customerDirectory.storeId, storeId),
        eq(customerDirectory.customerId, customerId),
        isNotNull(customerDirectory.erasedAt),
      ),
    );
  return Boolean(row);
}
