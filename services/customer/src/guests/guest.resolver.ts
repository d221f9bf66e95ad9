import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { PageArgs, requireId } from '@cg/subgraph';
import type { GuestRow } from '../db/schema/index.ts';
import type { CustomerContext } from '../context.ts';
import { Customer } from '../customers/customer.type.ts';
import { Guest, GuestConnection } from './guest.type.ts';

@Resolver(() => Guest)
export class GuestResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => GuestConnection, {
    description: 'C13: shoppers who ordered without registering, most recently seen first.',
  })
  guests(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('search', () => String, { nullable: true, description: 'Prefix of name, email or phone.' })
    search: string | null,
    @Arg('converted', () => Boolean, {
      nullable: true,
      description: 'true: only those who registered since; false: only those who did not.',
    })
    converted: boolean | null,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.guests.list({ ...page, search, converted });
  }

  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => Guest, { nullable: true })
  guest(@Arg('id', () => ID) id: string, @Ctx() ctx: CustomerContext) {
    return ctx.guests.load(requireId(id));
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The profile the guest registered, once they did.' })
  convertedCustomer(@Root() guest: GuestRow, @Ctx() ctx: CustomerContext) {
    return guest.convertedCustomerId ? ctx.customers.load(guest.convertedCustomerId) : null;
  }
}

export const guestReference = {
  Guest: {
    __resolveReference: (reference: { id: string }, ctx: CustomerContext) => ctx.guests.load(reference.id),
  },
};
