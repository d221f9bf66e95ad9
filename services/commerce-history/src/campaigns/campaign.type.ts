import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Internal, Money, Shopper } from '@cg/subgraph';
import { CampaignDiscountType, CampaignStatus } from './campaign.enum.ts';

export { CampaignDiscountType, CampaignStatus };

registerEnumType(CampaignDiscountType, {
  name: 'CampaignDiscountType',
  description: 'What a campaign discounts (O7).',
});
registerEnumType(CampaignStatus, {
  name: 'CampaignStatus',
  description: 'Follows from the dates and the manual stop when read.',
  valuesConfig: {
    SCHEDULED: { description: 'Not stopped, and not started yet.' },
    ACTIVE: { description: 'Not stopped, started and not ended.' },
    STOPPED: { description: 'Stopped by hand (`stopCampaign`) before it ended.' },
    ENDED: { description: 'Not stopped, and its end has passed.' },
  },
});

/** O7: a campaign of the store; `status` is a field resolver (derived from the row when read). */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A campaign of the store (O7) that orders name when it applied to them.' })
export class Campaign {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String)
  name!: string;
  @Shopper()
  @Field(() => String, { description: 'The store’s own kind of campaign, e.g. "Seasonal sale".' })
  type!: string;
  @Shopper()
  @Field(() => CampaignDiscountType)
  discountType!: CampaignDiscountType;
  @Shopper()
  @Field(() => Date)
  startsAt!: Date;
  @Shopper()
  @Field(() => Date, { description: 'Exclusive: the campaign has ended from this instant on.' })
  endsAt!: Date;
  @Shopper()
  @Field(() => Date, { nullable: true, description: 'When it was stopped by hand.' })
  stoppedAt!: Date | null;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'Staff user who created it.' })
  createdBy!: string | null;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
  @Shopper()
  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class CampaignConnection extends Connection(Campaign) {}

@ObjectType({ description: 'A campaign a customer benefited from, with what it brought them (O7).' })
export class CustomerCampaign {
  @Shopper()
  @Field(() => Campaign)
  campaign!: Campaign;
  @Shopper()
  @Field(() => Int, { description: 'The customer’s orders that name the campaign, cancelled ones left out.' })
  orderCount!: number;
  @Shopper()
  @Field(() => Money, {
    description:
      'The recorded discount (item discounts plus the order-level discount) of those orders, in full for each ' +
      'campaign an order names.',
  })
  discount!: Money;
}
