import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Caller, PageArgs, Shopper } from '@cg/subgraph';
import type { LoyaltyCardRow } from '../db/schema.ts';
import type { EngagementContext } from '../context.ts';
import { Customer, type CustomerRef } from '../customers/customer.type.ts';
import { CustomerLoyalty, type LoyaltyRef } from '../loyalty/loyalty.type.ts';
import { LoyaltyCardStatus } from './loyalty-card.enum.ts';
import {
  IssueLoyaltyCardInput,
  LoyaltyCardTypeInput,
  ReplaceLoyaltyCardInput,
  UpdateLoyaltyCardTypeInput,
} from './loyalty-card.inputs.ts';
import {
  LoyaltyCard,
  LoyaltyCardConnection,
  LoyaltyCardType,
  LoyaltyCardTypeConnection,
  ReplaceLoyaltyCardPayload,
} from './loyalty-card.type.ts';

@Resolver(() => CustomerLoyalty)
export class CustomerLoyaltyCardsResolver {
  // `Customer.loyalty` already confines a customer to their own (LoyaltyService.forCustomer).
  @Shopper()
  @Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER)
  @FieldResolver(() => LoyaltyCardConnection, {
    description: "The customer's loyalty cards across card types (E5), newest first; `status` narrows them.",
  })
  cards(
    @Root() loyalty: LoyaltyRef,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('status', () => LoyaltyCardStatus, { nullable: true }) status: LoyaltyCardStatus | null,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.loyaltyCards.cards(loyalty, page, status);
  }
}

@Resolver(() => LoyaltyCardType)
export class LoyaltyCardTypeResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => LoyaltyCardTypeConnection, { description: "The store's loyalty card types (E5), newest first." })
  loyaltyCardTypes(@Args(() => PageArgs) page: PageArgs, @Ctx() ctx: EngagementContext) {
    return ctx.loyaltyCards.cardTypes(page);
  }

  @Authorized(StaffAction.LOYALTY_ADJUST)
  @Mutation(() => LoyaltyCardType, { description: 'Adds a loyalty card type (E5); its name is unique in the store.' })
  createLoyaltyCardType(
    @Arg('input', () => LoyaltyCardTypeInput) input: LoyaltyCardTypeInput,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.loyaltyCards.createCardType(input);
  }

  @Authorized(StaffAction.LOYALTY_ADJUST)
  @Mutation(() => LoyaltyCardType, { description: 'Edits a loyalty card type (E5) as a whole.' })
  updateLoyaltyCardType(
    @Arg('input', () => UpdateLoyaltyCardTypeInput) input: UpdateLoyaltyCardTypeInput,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.loyaltyCards.updateCardType(input);
  }

  @Authorized(StaffAction.LOYALTY_ADJUST)
  @Mutation(() => ID, {
    description: 'Deletes a loyalty card type without cards (E5); one with cards: CONFLICT (CARD_TYPE_IN_USE).',
  })
  deleteLoyaltyCardType(@Arg('id', () => ID) id: string, @Ctx() ctx: EngagementContext) {
    return ctx.loyaltyCards.deleteCardType(id);
  }
}

@Resolver(() => LoyaltyCard)
export class LoyaltyCardResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => LoyaltyCardConnection, {
    description:
      "The store's loyalty cards (E5), newest first: a card type's cards, those of a status, or the card a barcode is on.",
  })
  loyaltyCards(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('cardTypeId', () => ID, { nullable: true }) cardTypeId: string | null,
    @Arg('status', () => LoyaltyCardStatus, { nullable: true }) status: LoyaltyCardStatus | null,
    @Arg('barcode', () => String, { nullable: true }) barcode: string | null,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.loyaltyCards.storeCards({ cardTypeId, status, barcode }, page);
  }

  @Authorized(StaffAction.LOYALTY_ADJUST)
  @Mutation(() => LoyaltyCard, {
    description:
      'Issues an ACTIVE loyalty card (E5). A barcode already on a card of the store: CONFLICT (DUPLICATE_BARCODE).',
  })
  issueLoyaltyCard(
    @Arg('input', () => IssueLoyaltyCardInput) input: IssueLoyaltyCardInput,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.loyaltyCards.issue(input);
  }

  @Authorized(StaffAction.LOYALTY_ADJUST)
  @Mutation(() => LoyaltyCard, {
    description:
      'Blocks a card (E5). While none of a customer’s cards is ACTIVE, their orders earn no points and redemptions are refused.',
  })
  blockLoyaltyCard(@Arg('id', () => ID) id: string, @Ctx() ctx: EngagementContext) {
    return ctx.loyaltyCards.block(id);
  }

  @Authorized(StaffAction.LOYALTY_ADJUST)
  @Mutation(() => LoyaltyCard, { description: 'Makes a blocked card ACTIVE again (E5); a REPLACED one stays so.' })
  unblockLoyaltyCard(@Arg('id', () => ID) id: string, @Ctx() ctx: EngagementContext) {
    return ctx.loyaltyCards.unblock(id);
  }

  @Authorized(StaffAction.LOYALTY_ADJUST)
  @Mutation(() => ReplaceLoyaltyCardPayload, {
    description:
      'Issues a new card with a new barcode in place of an ACTIVE or BLOCKED one, moving all its VIP points to it (E5).',
  })
  replaceLoyaltyCard(
    @Arg('input', () => ReplaceLoyaltyCardInput) input: ReplaceLoyaltyCardInput,
    @Ctx() ctx: EngagementContext,
  ) {
    return ctx.loyaltyCards.replace(input);
  }

  @Shopper()
  @FieldResolver(() => LoyaltyCardType, { nullable: true, description: 'Null only for a type deleted since.' })
  cardType(@Root() card: LoyaltyCardRow, @Ctx() ctx: EngagementContext) {
    return ctx.loyaltyCards.cardType(card.cardTypeId);
  }

  @Shopper()
  @FieldResolver(() => LoyaltyCard, { nullable: true, description: 'REPLACED: the card that took its place.' })
  replacedBy(@Root() card: LoyaltyCardRow, @Ctx() ctx: EngagementContext) {
    return card.replacedById ? ctx.loyaltyCards.card(card.replacedById) : null;
  }

  @Shopper()
  @FieldResolver(() => Customer)
  customer(@Root() card: LoyaltyCardRow): CustomerRef {
    return { id: card.customerId };
  }
}
