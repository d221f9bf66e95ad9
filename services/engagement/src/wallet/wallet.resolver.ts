import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Money, PageArgs, money, Shopper } from '@cg/subgraph';
import type { WalletEntryRow } from '../db/schema.ts';
import type { EngagementContext } from '../context.ts';
import { Customer, type CustomerRef } from '../customers/customer.type.ts';
import { AdjustWalletPayload, Wallet, WalletEntry, WalletEntryConnection, type WalletRef } from './wallet.type.ts';
import { AdjustWalletInput, WalletEntryFilter } from './wallet.inputs.ts';

@Resolver(() => Customer)
export class CustomerWalletResolver {
  @Shopper()
  @FieldResolver(() => Wallet, {
    nullable: true,
    description: "The customer's store balance and its history (E1, E2).",
  })
  wallet(@Root() customer: CustomerRef, @Ctx() ctx: EngagementContext): WalletRef {
    return ctx.wallets.forCustomer(customer.id);
  }
}

@Resolver(() => Wallet)
export class WalletResolver {
  @Shopper()
  @FieldResolver(() => ID, { description: "The customer's id: each customer has one wallet." })
  id(@Root() wallet: WalletRef): string {
    return wallet.customerId;
  }

  @Shopper()
  @FieldResolver(() => String, {
    nullable: true,
    description: 'ISO 4217; set by the first adjustment, null before it.',
  })
  async currency(@Root() wallet: WalletRef, @Ctx() ctx: EngagementContext) {
    return (await ctx.wallets.state(wallet))?.currency ?? null;
  }

  @Shopper()
  @FieldResolver(() => Money, {
    nullable: true,
    description: 'Never below zero; expired credit is already left out. Null when the customer has no wallet yet.',
  })
  async balance(@Root() wallet: WalletRef, @Ctx() ctx: EngagementContext) {
    const state = await ctx.wallets.state(wallet);
    return state ? money(state.balance, state.currency) : null;
  }

  @Shopper()
  @FieldResolver(() => WalletEntryConnection, { description: 'Newest first.' })
  entries(@Root() wallet: WalletRef, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: EngagementContext) {
    return ctx.wallets.entries(wallet, page);
  }
}

@Resolver(() => WalletEntry)
export class WalletEntryResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => WalletEntryConnection, {
    description: "The store's wallet history across all customers (E2), newest first.",
  })
  walletEntries(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => WalletEntryFilter, { nullable: true }) filter: WalletEntryFilter | null,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.wallets.list({ ...page, filter });
  }

  @Authorized(StaffAction.WALLET_ADJUST)
  @Mutation(() => AdjustWalletPayload, {
    description:
      "Adds to (positive amount) or deducts from (negative amount) a customer's wallet; the balance never goes below zero.",
  })
  adjustWallet(@Arg('input', () => AdjustWalletInput) input: AdjustWalletInput, @Ctx() ctx: EngagementContext) {
    return ctx.wallets.adjust(input);
  }

  @Shopper()
  @FieldResolver(() => Money, { description: 'Signed: credits are positive, debits and expiries negative.' })
  amount(@Root() entry: WalletEntryRow): Money {
    return money(entry.amount, entry.currency);
  }

  @Shopper()
  @FieldResolver(() => Money, {
    nullable: true,
    description: 'Credits only: the part not yet spent; zero once the credit has expired.',
  })
  remaining(@Root() entry: WalletEntryRow): Money | null {
    if (entry.remaining === null) return null;
    const lapsed = entry.expiresAt !== null && entry.expiresAt.getTime() <= Date.now();
    return money(lapsed ? 0 : entry.remaining, entry.currency);
  }

  @Shopper()
  @FieldResolver(() => Customer)
  customer(@Root() entry: WalletEntryRow): CustomerRef {
    return { id: entry.customerId };
  }
}
