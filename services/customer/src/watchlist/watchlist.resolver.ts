import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root, Authorized } from 'type-graphql';
import { Internal } from '@cg/subgraph';
import { StaffAction } from '@cg/auth';
import type { CustomerRow } from '../db/schema/index.ts';
import type { CustomerContext } from '../context.ts';
import { Customer } from '../customers/customer.type.ts';

@Resolver(() => Customer)
export class WatchlistResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Internal(false)
  @FieldResolver(() => Boolean, {
    description: "Whether the customer is on the store's watchlist (C9), which all of its staff share.",
  })
  watched(@Root() customer: CustomerRow, @Ctx() ctx: CustomerContext) {
    return ctx.watchlist.isWatched(customer.id);
  }

  @Authorized(StaffAction.CUSTOMERS_EDIT)
  @Mutation(() => Customer, {
    description: "Puts a customer on the store's watchlist; watching a watched customer changes nothing.",
  })
  watchCustomer(@Arg('customerId', () => ID) customerId: string, @Ctx() ctx: CustomerContext) {
    return ctx.watchlist.watch(customerId);
  }

  @Authorized(StaffAction.CUSTOMERS_EDIT)
  @Mutation(() => Customer, {
    description: "Takes a customer off the store's watchlist; unwatching an unwatched customer changes nothing.",
  })
  unwatchCustomer(@Arg('customerId', () => ID) customerId: string, @Ctx() ctx: CustomerContext) {
    return ctx.watchlist.unwatch(customerId);
  }
}
