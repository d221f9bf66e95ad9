import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { PageArgs, Internal } from '@cg/subgraph';
import type { CustomerRow, SegmentRow } from '../db/schema/index.ts';
import type { CustomerContext } from '../context.ts';
import { Customer } from '../customers/customer.type.ts';
import { CustomerConnection } from '../customers/customer.connection.ts';
import { CustomerSort } from '../customers/customer.inputs.ts';
import { Segment, SegmentConnection } from './segment.type.ts';
import { CreateSegmentInput, UpdateSegmentInput } from './segment.inputs.ts';
import { MAX_SEGMENTS_PER_STORE } from './segment.service.ts';

@Resolver(() => Segment)
export class SegmentResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => SegmentConnection, { description: "The store's segments (C12), by name." })
  segments(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: CustomerContext) {
    return ctx.segments.list(page);
  }

  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => Segment, { nullable: true })
  segment(@Arg('id', () => ID) id: string, @Ctx() ctx: CustomerContext) {
    return ctx.segments.get(id);
  }

  @Authorized(StaffAction.CUSTOMERS_EDIT)
  @Mutation(() => Segment, {
    description:
      'Bad rules give BAD_USER_INPUT naming the rule field (`input.rules.0.min`); a name taken in the store (in any case), ' +
      `or a store that already has ${MAX_SEGMENTS_PER_STORE} segments, CONFLICT.`,
  })
  createSegment(@Arg('input', () => CreateSegmentInput) input: CreateSegmentInput, @Ctx() ctx: CustomerContext) {
    return ctx.segments.create(input);
  }

  @Authorized(StaffAction.CUSTOMERS_EDIT)
  @Mutation(() => Segment)
  updateSegment(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateSegmentInput) input: UpdateSegmentInput,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.segments.update(id, input);
  }

  @Authorized(StaffAction.CUSTOMERS_EDIT)
  @Mutation(() => Segment, { description: 'Returns the deleted segment.' })
  deleteSegment(@Arg('id', () => ID) id: string, @Ctx() ctx: CustomerContext) {
    return ctx.segments.delete(id);
  }

  @FieldResolver(() => Int, {
    description:
      'Customers who meet the rules now. Counted when asked: one statement for all the segments of a request, ' +
      "a pass over the store's customers.",
  })
  memberCount(@Root() segment: SegmentRow, @Ctx() ctx: CustomerContext) {
    return ctx.segments.memberCount(segment);
  }

  @FieldResolver(() => CustomerConnection, {
    description: 'Customers who meet the rules now, on the customer list’s sorts (default: newest member first).',
  })
  members(
    @Root() segment: SegmentRow,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('sort', () => CustomerSort, { nullable: true }) sort: CustomerSort | null,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.segments.members(segment, { ...page, sort });
  }
}

@Resolver(() => Customer)
export class CustomerSegmentsResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Internal([])
  @FieldResolver(() => [Segment], {
    description: "The store's segments whose rules the customer meets now, by name (C12).",
  })
  segments(@Root() customer: CustomerRow, @Ctx() ctx: CustomerContext) {
    return ctx.segments.forCustomer(customer.id);
  }
}
