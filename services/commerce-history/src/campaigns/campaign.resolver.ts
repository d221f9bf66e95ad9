import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { PageArgs, Shopper } from '@cg/subgraph';
import type { CampaignRow, OrderRow } from '../db/schema.ts';
import type { CommerceHistoryContext } from '../context.ts';
import { Customer, type CustomerRef } from '../customers/customer.type.ts';
import { Order } from '../orders/order.type.ts';
import { Campaign, CampaignConnection, CampaignStatus, CustomerCampaign } from './campaign.type.ts';
import { CampaignFilter, CreateCampaignInput, UpdateCampaignInput } from './campaign.inputs.ts';

@Resolver(() => Campaign)
export class CampaignResolver {
  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => CampaignConnection, { description: "The store's campaigns (O7), latest start first." })
  campaigns(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CampaignFilter, { nullable: true }) filter: CampaignFilter | null,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.campaigns.list({ ...page, filter });
  }

  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => Campaign, { nullable: true })
  campaign(@Arg('id', () => ID) id: string, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.campaigns.get(id);
  }

  @Authorized(StaffAction.CAMPAIGNS_MANAGE)
  @Mutation(() => Campaign, { description: 'O7: BAD_USER_INPUT on `input.endsAt` unless it is after `startsAt`.' })
  createCampaign(
    @Arg('input', () => CreateCampaignInput) input: CreateCampaignInput,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.campaigns.create(input);
  }

  @Authorized(StaffAction.CAMPAIGNS_MANAGE)
  @Mutation(() => Campaign, { description: 'O7: the end must stay after the start.' })
  updateCampaign(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCampaignInput) input: UpdateCampaignInput,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.campaigns.update(id, input);
  }

  @Authorized(StaffAction.CAMPAIGNS_MANAGE)
  @Mutation(() => Campaign, {
    description: 'O7: stops a scheduled or active campaign for good; CONFLICT when it is stopped or ended already.',
  })
  stopCampaign(@Arg('id', () => ID) id: string, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.campaigns.stop(id);
  }

  @Shopper()
  @FieldResolver(() => CampaignStatus, { description: 'From the dates and the manual stop, as of this request.' })
  status(@Root() campaign: CampaignRow, @Ctx() ctx: CommerceHistoryContext): CampaignStatus {
    return ctx.campaigns.statusOf(campaign);
  }
}

@Resolver(() => Order)
export class OrderCampaignsResolver {
  @Shopper()
  @FieldResolver(() => [Campaign], { description: 'The campaigns applied to the order (O7), latest start first.' })
  campaigns(@Root() order: OrderRow, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.campaigns.ofOrder(order.id);
  }
}

@Resolver(() => Customer)
export class CustomerCampaignsResolver {
  @Shopper()
  @FieldResolver(() => [CustomerCampaign], {
    nullable: true,
    description:
      'The campaigns the customer benefited from (O7), each once, latest start first: those their orders name, ' +
      'cancelled orders left out.',
  })
  campaigns(
    @Root() customer: CustomerRef,
    @Arg('filter', () => CampaignFilter, { nullable: true }) filter: CampaignFilter | null,
    @Ctx() ctx: CommerceHistoryContext,
  ) {
    return ctx.campaigns.forCustomer(customer.id, filter);
  }
}
