import { Arg, Ctx, Mutation, Query, Resolver, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Caller } from '@cg/subgraph';
import type { CustomerContext } from '../context.ts';
import { Store } from './store.type.ts';
import { UpdateStoreInput } from './store.inputs.ts';

@Resolver(() => Store)
export class StoreResolver {
  @Authorized(Caller.STAFF, Caller.CUSTOMER, Caller.GUEST)
  @Query(() => Store, { nullable: true, description: 'The store the access token acts in.' })
  currentStore(@Ctx() ctx: CustomerContext) {
    return ctx.stores.current();
  }

  // The store's settings are its owner's: creating a store makes its first user the OWNER, and
  // ACCESS_MANAGE is the one action only owners hold by default (a MANAGER runs the customers).
  @Authorized(StaffAction.ACCESS_MANAGE)
  @Mutation(() => Store, {
    description:
      "T1: renames the token's store, sets its time zone (BAD_USER_INPUT on `input.timeZone` for a name IANA does not know) " +
      'or its retention of deleted customers (C5).',
  })
  updateStore(@Arg('input', () => UpdateStoreInput) input: UpdateStoreInput, @Ctx() ctx: CustomerContext) {
    return ctx.stores.update(input);
  }
}
