import { Ctx, Query, Resolver, Authorized } from 'type-graphql';
import { Caller } from '@cg/subgraph';
import type { CustomerContext } from '../context.ts';
import { Store } from './store.type.ts';

@Resolver(() => Store)
export class StoreResolver {
  @Authorized(Caller.STAFF, Caller.CUSTOMER, Caller.GUEST)
  @Query(() => Store, { nullable: true, description: 'The store the access token acts in.' })
  currentStore(@Ctx() ctx: CustomerContext) {
    return ctx.stores.current();
  }
}
