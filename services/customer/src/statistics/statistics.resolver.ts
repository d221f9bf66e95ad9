import { Ctx, Query, Resolver } from 'type-graphql';
import type { CustomerContext } from '../context.ts';
import { CustomerStatistics } from './statistics.type.ts';

@Resolver(() => CustomerStatistics)
export class StatisticsResolver {
  @Query(() => CustomerStatistics, { description: "Customer statistics of the caller's store (C11), computed when asked." })
  customerStatistics(@Ctx() ctx: CustomerContext) {
    return ctx.statistics.forStore();
  }
}
