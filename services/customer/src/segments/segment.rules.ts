import { registerEnumType } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { CustomerStatus } from '../customers/customer.type.ts';
import { countryCode, loyaltyTierName } from '../customers/customer.inputs.ts';

/**
 * The rules of a segment (C12) as the JSON document stored in `segments.rules`: a list of
 * conditions, all of which a customer must meet. This zod schema is the single source of truth:
 * mutations parse their input with it, the stored document is its output, and `segment.sql.ts`
 * compiles that output into SQL. `SegmentRuleInput`/`SegmentRule` mirror it field for field
 * (segment.inputs.ts checks that at compile time).
 */
export enum SegmentRuleKind {
  ORDER_COUNT = 'orderCount',
  TOTAL_SPENT = 'totalSpent',
  LAST_ORDER = 'lastOrder',
  LOCATION = 'location',
  STATUS = 'status',
  TAGS = 'tags',
  TIER = 'tier',
  VIP_CARD = 'vipCard',
}
registerEnumType(SegmentRuleKind, {
  name: 'SegmentRuleKind',
  description: 'What a segment rule looks at; each kind takes its own fields of SegmentRuleInput.',
  valuesConfig: {
    ORDER_COUNT: {
      description: 'Purchases (metrics.orderCount) between `min` and `max`, inclusive; either may be omitted.',
    },
    TOTAL_SPENT: { description: 'Total spent (metrics.totalSpent, minor units) between `min` and `max`, inclusive.' },
    LAST_ORDER: {
      description:
        'Last order date: `withinDays` (ordered in the last N days), `beforeDays` (last order more than N days ago), ' +
        'both (a window), or `never: true` (no order yet; `never: false` means at least one).',
    },
    LOCATION: {
      description:
        '`country` (any of, ISO 3166-1 alpha-2) and, optionally, `city` of the default delivery address (any of, case-insensitive).',
    },
    STATUS: { description: '`status`: any of these statuses.' },
    TAGS: { description: '`tags`: any of these tags.' },
    TIER: {
      description:
        '`tiers`: the loyalty tier the customer holds (metrics.loyaltyTier, E3) is any of these tier names, exact match.',
    },
    VIP_CARD: { description: '`hasVipCard`: whether the customer holds a VIP card.' },
  },
});

const MAX_DAYS = 36_500;
const days = z
  .number()
  .int({ message: 'must be a whole number of days' })
  .min(1, 'must be at least 1')
  .max(MAX_DAYS, `must be at most ${MAX_DAYS}`);
const count = z
  .number()
  .int({ message: 'must be a whole number' })
  .min(0, 'must not be negative')
  .max(2_147_483_647, 'is too large');
const minorUnits = zx.minorUnits.refine((value) => value >= 0, { message: 'must not be negative' });
const list = <T extends z.ZodType>(item: T, max: number) =>
  z
    .array(item)
    .min(1, 'must not be empty')
    .max(max, `at most ${max} values`)
    .transform((values) => [...new Set(values)]);

function range<T extends z.ZodType<number>>(kind: SegmentRuleKind.ORDER_COUNT | SegmentRuleKind.TOTAL_SPENT, value: T) {
  return z.object({ kind: z.literal(kind), min: value.optional(), max: value.optional() }).superRefine((rule, ctx) => {
    if (rule.min === undefined && rule.max === undefined) {
      ctx.addIssue({ code: 'custom', path: ['min'], message: 'give min, max or both' });
    } else if (rule.min !== undefined && rule.max !== undefined && rule.min > rule.max) {
      ctx.addIssue({ code: 'custom', path: ['max'], message: 'must not be less than min' });
    }
  });
}

const lastOrder = z
  .object({
    kind: z.literal(SegmentRuleKind.LAST_ORDER),
    withinDays: days.optional(),
    beforeDays: days.optional(),
    never: z.boolean().optional(),
  })
  .superRefine((rule, ctx) => {
    const byDays = rule.withinDays !== undefined || rule.beforeDays !== undefined;
    if (rule.never !== undefined && byDays) {
      ctx.addIssue({ code: 'custom', path: ['never'], message: 'cannot be combined with withinDays or beforeDays' });
    } else if (rule.never === undefined && !byDays) {
      ctx.addIssue({ code: 'custom', path: ['withinDays'], message: 'give withinDays, beforeDays or never' });
    } else if (rule.withinDays !== undefined && rule.beforeDays !== undefined && rule.withinDays <= rule.beforeDays) {
      ctx.addIssue({ code: 'custom', path: ['beforeDays'], message: 'must be less than withinDays' });
    }
  });

const location = z.object({
  kind: z.literal(SegmentRuleKind.LOCATION),
  country: list(countryCode, 250),
  city: list(zx.text(100), 50).optional(),
});

const status = z.object({ kind: z.literal(SegmentRuleKind.STATUS), status: list(z.enum(CustomerStatus), 3) });
const tags = z.object({ kind: z.literal(SegmentRuleKind.TAGS), tags: list(zx.text(50), 50) });
// A store has at most 20 tiers.
const tier = z.object({ kind: z.literal(SegmentRuleKind.TIER), tiers: list(loyaltyTierName, 20) });
const vipCard = z.object({
  kind: z.literal(SegmentRuleKind.VIP_CARD),
  hasVipCard: z.boolean({ message: 'is required: true or false' }),
});

const VARIANTS = [
  range(SegmentRuleKind.ORDER_COUNT, count),
  range(SegmentRuleKind.TOTAL_SPENT, minorUnits),
  lastOrder,
  location,
  status,
  tags,
  tier,
  vipCard,
] as const;

/** Field names each kind accepts, read off the variants themselves. */
const FIELDS = new Map<string, Set<string>>(
  VARIANTS.map((variant) => [variant.shape.kind.value, new Set(Object.keys(variant.shape))]),
);

/**
 * One rule. GraphQL hands over one flat input with every kind's fields; nulls are dropped, and a
 * field that belongs to another kind is an error at that field (`rules.0.tags`), not ignored.
 */
const segmentRuleSchema = z.preprocess(
  (value, ctx) => {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return value;
    const kind = (value as { kind?: unknown }).kind;
    const allowed = FIELDS.get(String(kind));
    const clean: Record<string, unknown> = {};
    for (const [field, fieldValue] of Object.entries(value)) {
      if (fieldValue === null || fieldValue === undefined) continue;
      if (allowed && !allowed.has(field)) {
        ctx.addIssue({ code: 'custom', path: [field], message: `does not apply to ${kindName(String(kind))} rules` });
        continue;
      }
      clean[field] = fieldValue;
    }
    return clean;
  },
  z.discriminatedUnion('kind', VARIANTS),
);

const MAX_RULES = 20;
export const segmentRulesSchema = z
  .array(segmentRuleSchema)
  .min(1, 'a segment needs at least one rule')
  .max(MAX_RULES, `at most ${MAX_RULES} rules`);

export type SegmentRuleDocument = z.output<typeof segmentRuleSchema>;
/** What `segments.rules` holds. */
export type SegmentRulesDocument = SegmentRuleDocument[];

/** Every field any kind of rule has, for the GraphQL mirrors. */
export type SegmentRuleField = SegmentRuleDocument extends infer R ? (R extends unknown ? keyof R : never) : never;

function kindName(value: string): string {
  return Object.entries(SegmentRuleKind).find(([, kind]) => kind === value)?.[0] ?? value;
}
