import { Field, InputType, Int } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { CustomerStatus } from '../customers/customer.type.ts';
import { SegmentRuleKind, segmentRulesSchema, type SegmentRuleField } from './segment.rules.ts';

@InputType({
  description:
    'One condition of a segment: `kind` and the fields of that kind (see SegmentRuleKind); a field of another kind is refused.',
})
export class SegmentRuleInput {
  @Field(() => SegmentRuleKind) kind!: SegmentRuleKind;
  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'ORDER_COUNT, TOTAL_SPENT (minor units): at least this much.',
  })
  min?: number | null;
  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'ORDER_COUNT, TOTAL_SPENT (minor units): at most this much.',
  })
  max?: number | null;
  @Field(() => Int, { nullable: true, description: 'LAST_ORDER: the last order was placed in the last N days.' })
  withinDays?: number | null;
  @Field(() => Int, { nullable: true, description: 'LAST_ORDER: the last order was placed more than N days ago.' })
  beforeDays?: number | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'LAST_ORDER: true for customers who never ordered, false for those who did.',
  })
  never?: boolean | null;
  @Field(() => [String], {
    nullable: true,
    description: 'LOCATION (required): ISO 3166-1 alpha-2 codes of the profile country, any of.',
  })
  country?: string[] | null;
  @Field(() => [String], {
    nullable: true,
    description: 'LOCATION: city of the default delivery address, any of, case-insensitive.',
  })
  city?: string[] | null;
  @Field(() => [CustomerStatus], { nullable: true, description: 'STATUS: any of these.' })
  status?: CustomerStatus[] | null;
  @Field(() => [String], { nullable: true, description: 'TAGS: any of these.' })
  tags?: string[] | null;
  @Field(() => [String], {
    nullable: true,
    description: 'TIER (required): names of loyalty tiers, any of (exact match, at most 20).',
  })
  tiers?: string[] | null;
  @Field(() => Boolean, { nullable: true, description: 'VIP_CARD (required): whether the customer holds a VIP card.' })
  hasVipCard?: boolean | null;
}

@InputType()
export class CreateSegmentInput {
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) description?: string | null;
  @Field(() => [SegmentRuleInput], { description: 'All must hold; 1–20 rules.' }) rules!: SegmentRuleInput[];
}

@InputType({ description: 'Omitted fields stay as they are; `rules` replaces all the rules.' })
export class UpdateSegmentInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true, description: 'null clears it.' }) description?: string | null;
  @Field(() => [SegmentRuleInput], { nullable: true }) rules?: SegmentRuleInput[] | null;
}

/** The GraphQL input has exactly the fields of the rules document (compile-time check). */
true satisfies [
  Exclude<SegmentRuleField, keyof SegmentRuleInput>,
  Exclude<keyof SegmentRuleInput, SegmentRuleField>,
] extends [never, never]
  ? true
  : false;

// ---- zod: the rules behind the GraphQL shapes ----

const name = zx.text(100);
const description = zx.optionalText(1000);

export const createSegmentSchema = z.object({ name, description, rules: segmentRulesSchema });
export const updateSegmentSchema = z.object({
  name: name.optional(),
  description,
  rules: segmentRulesSchema.optional(),
});
