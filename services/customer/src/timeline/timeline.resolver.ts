import { Arg, Args, Ctx, FieldResolver, Resolver, Root, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { PageArgs, Internal } from '@cg/subgraph';
import type { CustomerRow, TimelineEntryRow } from '../db/schema/index.ts';
import type { CustomerContext } from '../context.ts';
import { Customer } from '../customers/customer.type.ts';
import { OrderReference, TimelineEntry, TimelineEntryConnection, TimelineEntryKind } from './timeline.type.ts';

@Resolver(() => Customer)
export class CustomerTimelineResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Internal(null)
  @FieldResolver(() => TimelineEntryConnection, { description: 'C15: orders and staff actions, newest first.' })
  timeline(
    @Root() customer: CustomerRow,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('kinds', () => [TimelineEntryKind], { nullable: true }) kinds: TimelineEntryKind[] | null,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.timeline.forCustomer(customer.id, { ...page, kinds });
  }
}

@Resolver(() => TimelineEntry)
export class TimelineEntryResolver {
  @FieldResolver(() => OrderReference, {
    nullable: true,
    description: 'The order of an ORDER, ORDER_STATUS, RETURN, CANCELLATION or FEEDBACK entry.',
  })
  order(@Root() entry: TimelineEntryRow) {
    return entry.orderId ? { __typename: 'Order', id: entry.orderId } : null;
  }
}
