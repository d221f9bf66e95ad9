import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Connection } from '@cg/subgraph';
import { CustomerStatus } from '../customers/customer.type.ts';
import { SegmentRuleKind, type SegmentRuleField } from './segment.rules.ts';

@ObjectType({ description: 'One condition of a segment; only the fields of its kind are set (see SegmentRuleKind).' })
export class SegmentRule {
  @Field(() => SegmentRuleKind) kind!: SegmentRuleKind;
  @Field(() => GraphQLSafeInt, { nullable: true }) min?: number;
  @Field(() => GraphQLSafeInt, { nullable: true }) max?: number;
  @Field(() => Int, { nullable: true }) withinDays?: number;
  @Field(() => Int, { nullable: true }) beforeDays?: number;
  @Field(() => Boolean, { nullable: true }) never?: boolean;
  @Field(() => [String], { nullable: true }) country?: string[];
  @Field(() => [String], { nullable: true }) city?: string[];
  @Field(() => [CustomerStatus], { nullable: true }) status?: CustomerStatus[];
  @Field(() => [String], { nullable: true }) tags?: string[];
  @Field(() => [String], { nullable: true }) tiers?: string[];
  @Field(() => Boolean, { nullable: true }) hasVipCard?: boolean;
}

@ObjectType({
  description:
    'A named, rule-based, dynamic set of the store’s customers (C12): its members are the customers who meet all of its ' +
    'rules now, computed from current profiles and metrics whenever asked; nothing about membership is stored.',
})
export class Segment {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'Unique in the store, case-insensitively.' }) name!: string;
  @Field(() => String, { nullable: true }) description!: string | null;
  @Field(() => [SegmentRule], { description: 'All of them must hold.' }) rules!: SegmentRule[];
  @Field(() => String, { description: 'Staff user who created it.' }) createdBy!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType()
export class SegmentConnection extends Connection(Segment) {}

/** The GraphQL rule type has exactly the fields of the rules document (compile-time check). */
true satisfies [Exclude<SegmentRuleField, keyof SegmentRule>, Exclude<keyof SegmentRule, SegmentRuleField>] extends [
  never,
  never,
]
  ? true
  : false;
