import { and, arrayOverlaps, gte, inArray, isNotNull, isNull, lt, lte, sql, type SQL } from 'drizzle-orm';
import { addresses, customerMetrics, customers } from '../db/schema/index.ts';
import { SegmentRuleKind, type SegmentRuleDocument, type SegmentRulesDocument } from './segment.rules.ts';

/**
 * Compiles a segment's rules into one condition over `customers ⨝ customer_metrics` (the tables
 * of the customer list, unaliased), so that members are listed, counted and tested with the
 * list's own statement shapes and keyset sorts. Dates are relative to the statement's `now()`.
 * A plain conjunction, so that the planner sees each predicate (and its indexes); it is null for
 * a customer without a last order under a date rule, which WHERE and FILTER treat as false.
 */
export function segmentCondition(rules: SegmentRulesDocument): SQL {
  return and(...rules.map(ruleCondition))!;
}

function ruleCondition(rule: SegmentRuleDocument): SQL {
  switch (rule.kind) {
    case SegmentRuleKind.ORDER_COUNT:
      return between(customerMetrics.orderCount, rule.min, rule.max);
    case SegmentRuleKind.TOTAL_SPENT:
      return between(customerMetrics.totalSpent, rule.min, rule.max);
    case SegmentRuleKind.LAST_ORDER: {
      if (rule.never !== undefined)
        return rule.never ? isNull(customerMetrics.lastOrderAt) : isNotNull(customerMetrics.lastOrderAt);
      const daysAgo = (days: number) => sql`now() - make_interval(days => ${days}::int)`;
      return and(
        rule.withinDays !== undefined ? gte(customerMetrics.lastOrderAt, daysAgo(rule.withinDays)) : undefined,
        rule.beforeDays !== undefined ? lt(customerMetrics.lastOrderAt, daysAgo(rule.beforeDays)) : undefined,
      )!;
    }
    case SegmentRuleKind.LOCATION:
      return and(
        inArray(customers.country, rule.country),
        rule.city
          ? sql`exists (select 1 from ${addresses}
              where ${addresses.customerId} = ${customers.id} and ${addresses.storeId} = ${customers.storeId}
                and ${addresses.kind} = 'delivery' and ${addresses.isDefault}
                and lower(${addresses.city}) in (${sql.join(
                  rule.city.map((city) => sql`lower(${city})`),
                  sql`, `,
                )}))`
          : undefined,
      )!;
    case SegmentRuleKind.STATUS:
      return inArray(customers.status, rule.status);
    case SegmentRuleKind.TAGS:
      return arrayOverlaps(customers.tags, rule.tags);
    case SegmentRuleKind.TIER:
      return inArray(customerMetrics.loyaltyTier, rule.tiers);
    case SegmentRuleKind.VIP_CARD:
      return rule.hasVipCard ? isNotNull(customers.vipMemberNumber) : isNull(customers.vipMemberNumber);
  }
}

function between(
  column: typeof customerMetrics.orderCount | typeof customerMetrics.totalSpent,
  min?: number,
  max?: number,
): SQL {
  return (
    and(min !== undefined ? gte(column, min) : undefined, max !== undefined ? lte(column, max) : undefined) ?? sql`true`
  );
}
