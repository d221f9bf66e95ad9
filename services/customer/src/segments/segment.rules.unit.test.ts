import 'reflect-metadata';
import { PgDialect } from 'drizzle-orm/pg-core';
import type { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { parseInput } from '@cg/subgraph';
import { SegmentRuleKind, segmentRulesSchema, type SegmentRulesDocument } from './segment.rules.ts';
import { segmentCondition } from './segment.sql.ts';

/** The rules as a mutation parses them (`input.rules`). */
const parse = (rules: unknown): SegmentRulesDocument => parseInput(segmentRulesSchema, rules, 'rules');

/** The field errors a mutation would answer with, or [] when the rules parse. */
function fieldErrors(rules: unknown): { field: string; message: string }[] {
  try {
    parse(rules);
    return [];
  } catch (error) {
    expect((error as GraphQLError).extensions.code).toBe('BAD_USER_INPUT');
    return (error as GraphQLError).extensions.fields as { field: string; message: string }[];
  }
}

const dialect = new PgDialect();
/** The compiled condition's SQL text (whitespace collapsed) and parameters. */
function compiled(rules: unknown): { sql: string; params: unknown[] } {
  const { sql, params } = dialect.sqlToQuery(segmentCondition(parse(rules)));
  return { sql: sql.replace(/\s+/g, ' '), params };
}

describe('segment rule documents', () => {
  it('keep each kind’s own fields, dropping the nulls of the flat GraphQL input', () => {
    const input = [
      { kind: SegmentRuleKind.ORDER_COUNT, min: 2, max: null, withinDays: null, country: null },
      { kind: SegmentRuleKind.LAST_ORDER, withinDays: 30, beforeDays: 7, never: null },
      { kind: SegmentRuleKind.VIP_CARD, hasVipCard: false, tags: undefined },
    ];
    expect(parse(input)).toEqual([
      { kind: 'orderCount', min: 2 },
      { kind: 'lastOrder', withinDays: 30, beforeDays: 7 },
      { kind: 'vipCard', hasVipCard: false },
    ]);
  });

  it('normalise lists: trimmed, country codes upper-cased, duplicates removed', () => {
    expect(
      parse([
        { kind: SegmentRuleKind.LOCATION, country: [' tr', 'DE', 'TR'], city: [' Istanbul ', 'Istanbul'] },
        { kind: SegmentRuleKind.TAGS, tags: ['vip ', 'vip', 'b2b'] },
        { kind: SegmentRuleKind.STATUS, status: ['active', 'active'] },
        { kind: SegmentRuleKind.TIER, tiers: [' Gold', 'Gold', 'gold'] },
      ]),
    ).toEqual([
      { kind: 'location', country: ['TR', 'DE'], city: ['Istanbul'] },
      { kind: 'tags', tags: ['vip', 'b2b'] },
      { kind: 'status', status: ['active'] },
      // Tier names match exactly: only the whitespace around them goes.
      { kind: 'tier', tiers: ['Gold', 'gold'] },
    ]);
  });

  it('hold between one and twenty rules', () => {
    expect(fieldErrors([])).toEqual([{ field: 'rules', message: 'a segment needs at least one rule' }]);
    const rule = { kind: SegmentRuleKind.VIP_CARD, hasVipCard: true };
    expect(fieldErrors(Array.from({ length: 20 }, () => rule))).toEqual([]);
    expect(fieldErrors(Array.from({ length: 21 }, () => rule))).toEqual([
      { field: 'rules', message: 'at most 20 rules' },
    ]);
  });

  it('refuse a field of another kind at that field', () => {
    expect(fieldErrors([{ kind: SegmentRuleKind.TAGS, tags: ['vip'], min: 3 }])).toEqual([
      { field: 'rules.0.min', message: 'does not apply to TAGS rules' },
    ]);
    expect(
      fieldErrors([
        { kind: SegmentRuleKind.VIP_CARD, hasVipCard: true },
        { kind: SegmentRuleKind.ORDER_COUNT, min: 1, hasVipCard: true },
      ]),
    ).toEqual([{ field: 'rules.1.hasVipCard', message: 'does not apply to ORDER_COUNT rules' }]);
  });

  it('refuse an unknown kind at `kind`', () => {
    expect(fieldErrors([{ kind: 'birthday', min: 1 }]).map((error) => error.field)).toEqual(['rules.0.kind']);
  });

  it('need a bound of a range, in order', () => {
    for (const kind of [SegmentRuleKind.ORDER_COUNT, SegmentRuleKind.TOTAL_SPENT]) {
      expect(fieldErrors([{ kind }])).toEqual([{ field: 'rules.0.min', message: 'give min, max or both' }]);
      expect(fieldErrors([{ kind, min: 5, max: 4 }])).toEqual([
        { field: 'rules.0.max', message: 'must not be less than min' },
      ]);
      expect(fieldErrors([{ kind, min: 4, max: 4 }])).toEqual([]);
      expect(fieldErrors([{ kind, min: -1 }])).toEqual([{ field: 'rules.0.min', message: 'must not be negative' }]);
    }
    expect(fieldErrors([{ kind: SegmentRuleKind.ORDER_COUNT, max: 1.5 }])).toEqual([
      { field: 'rules.0.max', message: 'must be a whole number' },
    ]);
    expect(fieldErrors([{ kind: SegmentRuleKind.ORDER_COUNT, max: 2 ** 31 }])).toEqual([
      { field: 'rules.0.max', message: 'is too large' },
    ]);
    expect(fieldErrors([{ kind: SegmentRuleKind.TOTAL_SPENT, max: 19.99 }])).toEqual([
      { field: 'rules.0.max', message: 'must be whole minor units' },
    ]);
    expect(fieldErrors([{ kind: SegmentRuleKind.TOTAL_SPENT, min: 2 ** 40 }])).toEqual([]);
  });

  it('take last-order days, a window, or `never`, but not days and `never` together', () => {
    const lastOrder = (fields: object) => fieldErrors([{ kind: SegmentRuleKind.LAST_ORDER, ...fields }]);
    expect(lastOrder({})).toEqual([{ field: 'rules.0.withinDays', message: 'give withinDays, beforeDays or never' }]);
    expect(lastOrder({ never: true, beforeDays: 3 })).toEqual([
      { field: 'rules.0.never', message: 'cannot be combined with withinDays or beforeDays' },
    ]);
    expect(lastOrder({ withinDays: 7, beforeDays: 7 })).toEqual([
      { field: 'rules.0.beforeDays', message: 'must be less than withinDays' },
    ]);
    expect(lastOrder({ withinDays: 0 })).toEqual([{ field: 'rules.0.withinDays', message: 'must be at least 1' }]);
    expect(lastOrder({ beforeDays: 36_501 })).toEqual([
      { field: 'rules.0.beforeDays', message: 'must be at most 36500' },
    ]);
    expect(lastOrder({ beforeDays: 2.5 })).toEqual([
      { field: 'rules.0.beforeDays', message: 'must be a whole number of days' },
    ]);
    expect(lastOrder({ withinDays: 36_500, beforeDays: 1 })).toEqual([]);
    expect(lastOrder({ never: false })).toEqual([]);
  });

  it('check the values of lists', () => {
    expect(fieldErrors([{ kind: SegmentRuleKind.LOCATION, country: ['TR', 'XX'] }])).toEqual([
      { field: 'rules.0.country.1', message: 'must be an ISO 3166-1 alpha-2 country code' },
    ]);
    expect(fieldErrors([{ kind: SegmentRuleKind.LOCATION, country: [] }])).toEqual([
      { field: 'rules.0.country', message: 'must not be empty' },
    ]);
    expect(fieldErrors([{ kind: SegmentRuleKind.LOCATION, city: ['Izmir'] }]).map((error) => error.field)).toEqual([
      'rules.0.country',
    ]);
    expect(fieldErrors([{ kind: SegmentRuleKind.TAGS, tags: ['  '] }])).toEqual([
      { field: 'rules.0.tags.0', message: 'must not be empty' },
    ]);
    expect(
      fieldErrors([{ kind: SegmentRuleKind.STATUS, status: ['active', 'gone'] }]).map((error) => error.field),
    ).toEqual(['rules.0.status.1']);
    expect(fieldErrors([{ kind: SegmentRuleKind.VIP_CARD }])).toEqual([
      { field: 'rules.0.hasVipCard', message: 'is required: true or false' },
    ]);
    expect(fieldErrors([{ kind: SegmentRuleKind.TIER }]).map((error) => error.field)).toEqual(['rules.0.tiers']);
    expect(fieldErrors([{ kind: SegmentRuleKind.TIER, tiers: [] }])).toEqual([
      { field: 'rules.0.tiers', message: 'must not be empty' },
    ]);
    expect(fieldErrors([{ kind: SegmentRuleKind.TIER, tiers: Array.from({ length: 21 }, (_, i) => `T${i}`) }])).toEqual(
      [{ field: 'rules.0.tiers', message: 'at most 20 values' }],
    );
    // The card is a rule of its own now, not a TIER field.
    expect(fieldErrors([{ kind: SegmentRuleKind.TIER, tiers: ['Gold'], hasVipCard: true }])).toEqual([
      { field: 'rules.0.hasVipCard', message: 'does not apply to TIER rules' },
    ]);
  });
});

describe('segmentCondition', () => {
  const metrics = '"customer"."customer_metrics"';
  const customers = '"customer"."customers"';

  it('compiles ranges to inclusive bounds on the metrics', () => {
    expect(compiled([{ kind: SegmentRuleKind.ORDER_COUNT, min: 2 }])).toEqual({
      sql: `${metrics}."order_count" >= $1`,
      params: [2],
    });
    expect(compiled([{ kind: SegmentRuleKind.TOTAL_SPENT, min: 100, max: 5000 }])).toEqual({
      sql: `(${metrics}."total_spent" >= $1 and ${metrics}."total_spent" <= $2)`,
      params: [100, 5000],
    });
    expect(compiled([{ kind: SegmentRuleKind.TOTAL_SPENT, max: 0 }])).toEqual({
      sql: `${metrics}."total_spent" <= $1`,
      params: [0],
    });
  });

  it('compiles last-order days relative to the statement’s now()', () => {
    expect(compiled([{ kind: SegmentRuleKind.LAST_ORDER, withinDays: 30, beforeDays: 7 }])).toEqual({
      sql:
        `(${metrics}."last_order_at" >= now() - make_interval(days => $1::int)` +
        ` and ${metrics}."last_order_at" < now() - make_interval(days => $2::int))`,
      params: [30, 7],
    });
    expect(compiled([{ kind: SegmentRuleKind.LAST_ORDER, beforeDays: 90 }])).toEqual({
      sql: `${metrics}."last_order_at" < now() - make_interval(days => $1::int)`,
      params: [90],
    });
    expect(compiled([{ kind: SegmentRuleKind.LAST_ORDER, never: true }])).toEqual({
      sql: `${metrics}."last_order_at" is null`,
      params: [],
    });
    expect(compiled([{ kind: SegmentRuleKind.LAST_ORDER, never: false }])).toEqual({
      sql: `${metrics}."last_order_at" is not null`,
      params: [],
    });
  });

  it('compiles a location to the country and, with cities, the default delivery address', () => {
    expect(compiled([{ kind: SegmentRuleKind.LOCATION, country: ['tr', 'DE'] }])).toEqual({
      sql: `${customers}."country" in ($1, $2)`,
      params: ['TR', 'DE'],
    });
    const addresses = '"customer"."addresses"';
    expect(compiled([{ kind: SegmentRuleKind.LOCATION, country: ['TR'], city: ['Istanbul', 'izmir'] }])).toEqual({
      sql:
        `(${customers}."country" in ($1) and exists (select 1 from ${addresses}` +
        ` where ${addresses}."customer_id" = ${customers}."id" and ${addresses}."store_id" = ${customers}."store_id"` +
        ` and ${addresses}."kind" = 'delivery' and ${addresses}."is_default"` +
        ` and lower(${addresses}."city") in (lower($2), lower($3))))`,
      params: ['TR', 'Istanbul', 'izmir'],
    });
  });

  it('compiles a tier to the loyalty tier of the metrics, any of the names', () => {
    expect(compiled([{ kind: SegmentRuleKind.TIER, tiers: ['Gold', 'Silver'] }])).toEqual({
      sql: `${metrics}."loyalty_tier" in ($1, $2)`,
      params: ['Gold', 'Silver'],
    });
  });

  it('compiles status, tags and the VIP card on the profile', () => {
    expect(compiled([{ kind: SegmentRuleKind.STATUS, status: ['active', 'blocked'] }])).toEqual({
      sql: `${customers}."status" in ($1, $2)`,
      params: ['active', 'blocked'],
    });
    expect(compiled([{ kind: SegmentRuleKind.TAGS, tags: ['vip', 'b2b'] }])).toEqual({
      sql: `${customers}."tags" && $1`,
      params: ['{"vip","b2b"}'],
    });
    expect(compiled([{ kind: SegmentRuleKind.VIP_CARD, hasVipCard: true }])).toEqual({
      sql: `${customers}."vip_member_number" is not null`,
      params: [],
    });
    expect(compiled([{ kind: SegmentRuleKind.VIP_CARD, hasVipCard: false }])).toEqual({
      sql: `${customers}."vip_member_number" is null`,
      params: [],
    });
  });

  it('joins the rules with and, in order', () => {
    expect(
      compiled([
        { kind: SegmentRuleKind.ORDER_COUNT, min: 1, max: 3 },
        { kind: SegmentRuleKind.VIP_CARD, hasVipCard: true },
        { kind: SegmentRuleKind.TAGS, tags: ['vip'] },
      ]),
    ).toEqual({
      sql:
        `((${metrics}."order_count" >= $1 and ${metrics}."order_count" <= $2)` +
        ` and ${customers}."vip_member_number" is not null and ${customers}."tags" && $3)`,
      params: [1, 3, '{"vip"}'],
    });
  });

  it('matches everyone on an unbounded range, which parsing never lets through', () => {
    const { sql, params } = dialect.sqlToQuery(segmentCondition([{ kind: SegmentRuleKind.ORDER_COUNT }]));
    expect({ sql, params }).toEqual({ sql: 'true', params: [] });
  });
});
