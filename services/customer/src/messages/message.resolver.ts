import { Arg, Args, Authorized, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Internal, PageArgs } from '@cg/subgraph';
import type { CustomerContext } from '../context.ts';
import type { CustomerRow } from '../db/schema/index.ts';
import { Customer } from '../customers/customer.type.ts';
import { CustomerMessage, CustomerMessageConnection, MailboxMessageConnection } from './message.type.ts';
import { SendCustomerMessageInput, SuppressMessageAddressInput } from './message.inputs.ts';

@Resolver(() => CustomerMessage)
export class MessageResolver {
  @Authorized(StaffAction.CUSTOMERS_EDIT)
  @Mutation(() => CustomerMessage, {
    description:
      "C18: an email or SMS to the customer, delivered from the outbox. MARKETING needs the channel's consent in " +
      'this store (CONSENT_REQUIRED otherwise); neither purpose goes to a suppressed address (CONFLICT, reason ' +
      'ADDRESS_SUPPRESSED) or without one (reason NO_ADDRESS). The timeline records it with its lawful basis.',
  })
  sendCustomerMessage(
    @Arg('input', () => SendCustomerMessageInput) input: SendCustomerMessageInput,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.messages.send(input);
  }

  @Authorized(StaffAction.CUSTOMERS_EDIT)
  @Mutation(() => Boolean, {
    description: 'No message goes to this address any more, transactional ones included (hard bounces, complaints).',
  })
  suppressMessageAddress(
    @Arg('input', () => SuppressMessageAddressInput) input: SuppressMessageAddressInput,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.messages.suppress(input);
  }

  @Authorized(StaffAction.PERSONAL_DATA_READ)
  @Query(() => MailboxMessageConnection, {
    description: 'What the local transport delivered in this store, newest first (`pnpm start` sends no mail).',
  })
  mailbox(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: CustomerContext) {
    return ctx.messages.mailbox(page);
  }
}

@Resolver(() => Customer)
export class CustomerMessagesResolver {
  @Authorized(StaffAction.CUSTOMERS_READ, StaffAction.PERSONAL_DATA_READ)
  @Internal(null)
  @FieldResolver(() => CustomerMessageConnection, { nullable: true, description: 'C18: messages sent, newest first.' })
  messages(@Root() customer: CustomerRow, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: CustomerContext) {
    return ctx.messages.forCustomer(customer.id, page);
  }
}
