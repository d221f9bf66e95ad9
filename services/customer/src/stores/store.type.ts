import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Shopper } from '@cg/subgraph';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A tenant: a vendor, seller account or shop. Every customer belongs to one.' })
export class Store {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String)
  name!: string;
  @Shopper()
  @Field(() => String, { description: 'Default ISO 4217 currency of the store.' })
  currency!: string;
  @Shopper()
  @Field(() => String, {
    description:
      "T1: the IANA time zone the store's days are counted in (birthdays, dashboards), e.g. 'Europe/Istanbul'.",
  })
  timeZone!: string;
  @Shopper()
  @Field(() => Int, {
    description:
      'C5: days a deleted customer can be restored (`restoreCustomer`); after them the profile is erased as by `eraseCustomer`.',
  })
  deletedCustomerRetentionDays!: number;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
}
