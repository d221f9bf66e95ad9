import { Ctx, FieldResolver, ID, Query, Resolver, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import type { CustomerContext } from '../context.ts';
import { CustomerStatistics } from './statistics.type.ts';

@Resolver(() => CustomerStatistics)
export class StatisticsResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => CustomerStatistics, {
    description: "Customer statistics of the caller's store (C11), computed when asked.",
  })
  customerStatistics(@Ctx() ctx: CustomerContext) {
    return ctx.statistics.forStore();
  }

  // A root field's answer with an id is one cached object, which screens selecting different
  // figures merge into rather than replace.
  @FieldResolver(() => ID, { description: "The store's id: a store has one set of statistics." })
  id(@Ctx() ctx: CustomerContext): string {
    return ctx.storeId;
  }
}
