import { and, eq, isNull, ne, or } from 'drizzle-orm';
import type { GraphQLError } from 'graphql';
import type { Tx } from '@cg/db';
import { loyaltyAccounts, referenceCodeOrders } from '../db/schema.ts';
import {
  ReferenceCodeRefusal,
  type ReferenceRewardBeneficiary,
  type ReferenceRewardKind,
} from './reference-code.enum.ts';

/**
 * E9: who may use a code. Every rule given must hold ("all of"); within a list, any value does.
 * Null lists are no rule. Kept as the code's `rules` (jsonb): read whole with the code, which a
 * use has locked already, so judging them costs at most two indexed reads.
 */
export interface ReferenceCodeRules {
  /** By role: only customers without a purchase in the store yet (the use's own order aside). */
  newCustomersOnly: boolean;
  /** By role: only customers holding one of these loyalty tiers (E3) when they use it. */
  tierIds: string[] | null;
  /**
   * By seller: only on orders from one of these sales platforms (an order's `platform`, compared
   * case-insensitively). Orders carry no other seller than their store, which a code has already.
   */
  platforms: string[] | null;
  /** By user: only these customers. */
  customerIds: string[] | null;
}

/** E9: one reward of a code: to whom, what and how much (points, or minor units of `currency`). */
export interface ReferenceCodeRewardTerm {
  beneficiary: ReferenceRewardBeneficiary;
  kind: ReferenceRewardKind;
  amount: number;
  currency: string | null;
}

export const NO_RULES: ReferenceCodeRules = {
  newCustomersOnly: false,
  tierIds: null,
  platforms: null,
  customerIds: null,
};

type Refuse = (reason: ReferenceCodeRefusal, field: string, message: string, rule: string) => GraphQLError;

/**
 * The first rule of `rules` the use fails, as a refusal naming it; null when it may use the code.
 * Runs in the use's transaction under the request's role: a customer token reads only its own
 * loyalty account and orders, which is all a rule asks about.
 */
export async function failedRule(
  tx: Tx,
  storeId: string,
  rules: ReferenceCodeRules,
  use: { customerId: string; orderId: string | null },
  refuse: Refuse,
): Promise<GraphQLError | null> {
  if (rules.customerIds && !rules.customerIds.includes(use.customerId))
    return refuse(
      ReferenceCodeRefusal.RULE_CUSTOMER,
      'input.customerId',
      'This reference code is only for given customers',
      'customerIds',
    );
  if (rules.newCustomersOnly) {
    const [earlier] = await tx
      .select({ orderId: referenceCodeOrders.orderId })
      .from(referenceCodeOrders)
      .where(
        and(
          eq(referenceCodeOrders.storeId, storeId),
          eq(referenceCodeOrders.customerId, use.customerId),
          eq(referenceCodeOrders.counts, true),
          use.orderId ? ne(referenceCodeOrders.orderId, use.orderId) : undefined,
        ),
      )
      .limit(1);
    if (earlier)
      return refuse(
        ReferenceCodeRefusal.RULE_NEW_CUSTOMERS_ONLY,
        'input.customerId',
        'This reference code is for new customers only, and this customer has bought in the store before',
        'newCustomersOnly',
      );
  }
  if (rules.tierIds) {
    const [account] = await tx
      .select({ tierId: loyaltyAccounts.tierId })
      .from(loyaltyAccounts)
      .where(and(eq(loyaltyAccounts.storeId, storeId), eq(loyaltyAccounts.customerId, use.customerId)));
    if (!account?.tierId || !rules.tierIds.includes(account.tierId))
      return refuse(
        ReferenceCodeRefusal.RULE_TIER,
        'input.customerId',
        'This reference code is only for customers of given loyalty tiers',
        'tierIds',
      );
  }
  if (rules.platforms) {
    const platforms = rules.platforms.map((platform) => platform.toLowerCase());
    const [order] = use.orderId
      ? await tx
          .select({ platform: referenceCodeOrders.platform })
          .from(referenceCodeOrders)
          .where(
            and(
              eq(referenceCodeOrders.storeId, storeId),
              eq(referenceCodeOrders.orderId, use.orderId),
              // The customer's order, or a guest's not linked yet (staff at intake).
              or(eq(referenceCodeOrders.customerId, use.customerId), isNull(referenceCodeOrders.customerId)),
            ),
          )
      : [];
    if (!order?.platform || !platforms.includes(order.platform.toLowerCase()))
      return refuse(
        ReferenceCodeRefusal.RULE_PLATFORM,
        'input.orderId',
        use.orderId
          ? 'This reference code is only for orders from given sales platforms (or the order is not known yet)'
          : 'This reference code is only for orders from given sales platforms: name the order',
        'platforms',
      );
  }
  return null;
}
