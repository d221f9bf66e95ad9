import { Ctx, Query, Resolver } from 'type-graphql';
import type { CustomerContext } from '../context.ts';
import { Store } from './store.type.ts';

@Resolver(() => Store)
export class StoreResolver {
  @Query(() => Store, { nullable: true, description: 'The store the access token acts in.' })
  currentStore(@Ctx() ctx: CustomerContext) {
    return ctx.stores.current();
  }
}
