import { Directive, Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Connection, Shopper } from '@cg/subgraph';
import { TimelineEntryKind } from './timeline.enum.ts';

export { TimelineEntryKind };

registerEnumType(TimelineEntryKind, { name: 'TimelineEntryKind' });

/** An order of the commerce-history subgraph, referenced by id. */
@Directive('@key(fields: "id", resolvable: false)')
@ObjectType('Order')
export class OrderReference {
  @Shopper()
  @Field(() => ID)
  id!: string;
}

@ObjectType({ description: 'One thing that happened to a customer (C15): an order or an action by staff.' })
export class TimelineEntry {
  @Field(() => ID) id!: string;
  @Field(() => TimelineEntryKind) kind!: TimelineEntryKind;
  @Field(() => Date) occurredAt!: Date;
  @Field(() => String, {
    description: 'One line for people, e.g. "Order AB12CD34EF placed on web-shop (receipt R-1)".',
  })
  summary!: string;
  @Field(() => String, {
    nullable: true,
    description: 'The staff user or customer who acted; null for the sales platform.',
  })
  actor!: string | null;
  @Field(() => GraphQLJSONObject, {
    description:
      'The details of the kind: order number, platform, receipt number; changed fields with before and after; amounts.',
  })
  data!: Record<string, unknown>;
}

@ObjectType()
export class TimelineEntryConnection extends Connection(TimelineEntry) {}
