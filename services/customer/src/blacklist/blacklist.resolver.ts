import { Arg, Args, Authorized, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { PageArgs } from '@cg/subgraph';
import type { CustomerContext } from '../context.ts';
import { BlacklistEntry, BlacklistEntryConnection, BlacklistReason } from './blacklist.type.ts';
import { AddBlacklistEntryInput, UpdateBlacklistEntryInput } from './blacklist.inputs.ts';

@Resolver(() => BlacklistEntry)
export class BlacklistResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => BlacklistEntryConnection, { description: "C14: the store's blacklisted contacts, newest first." })
  blacklist(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('search', () => String, {
      nullable: true,
      description:
        'A phone in any spelling of the number, or a prefix of its digits; a prefix of an email; words of the note. ' +
        'Phones and emails are searched only with PERSONAL_DATA_READ.',
    })
    search: string | null,
    @Arg('reason', () => BlacklistReason, { nullable: true }) reason: BlacklistReason | null,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.blacklist.list({ ...page, search, reason });
  }

  @Authorized(StaffAction.CUSTOMERS_BLOCK)
  @Mutation(() => BlacklistEntry, {
    description:
      'C14: order intake refuses this phone or email (CUSTOMER_BLACKLISTED) once commerce-history has the change. A ' +
      'phone or email another entry of the store has is CONFLICT (`extensions.reason` PHONE_BLACKLISTED or ' +
      'EMAIL_BLACKLISTED).',
  })
  addBlacklistEntry(
    @Arg('input', () => AddBlacklistEntryInput) input: AddBlacklistEntryInput,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.blacklist.add(input);
  }

  @Authorized(StaffAction.CUSTOMERS_BLOCK)
  @Mutation(() => BlacklistEntry)
  updateBlacklistEntry(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateBlacklistEntryInput) input: UpdateBlacklistEntryInput,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.blacklist.update(id, input);
  }

  @Authorized(StaffAction.CUSTOMERS_BLOCK)
  @Mutation(() => BlacklistEntry, { description: 'Returns the removed entry; the contact may order again.' })
  removeBlacklistEntry(@Arg('id', () => ID) id: string, @Ctx() ctx: CustomerContext) {
    return ctx.blacklist.remove(id);
  }
}
