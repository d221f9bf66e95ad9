import { Ctx, Query, Resolver, Authorized } from 'type-graphql';
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
}
