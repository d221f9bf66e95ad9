import { Directive, Field, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { personal, Internal, Shopper } from '@cg/subgraph';
import { CustomerStatus, Gender } from './customer.enum.ts';

export { CustomerStatus, Gender };

registerEnumType(CustomerStatus, { name: 'CustomerStatus' });

registerEnumType(Gender, { name: 'Gender' });

@ObjectType({ description: 'Company details of a business customer; used wherever its invoice address is shown.' })
export class BusinessDetails {
  @Shopper()
  @Field(() => String)
  companyName!: string;
  @Shopper()
  @Field(() => String, { nullable: true })
  taxOffice!: string | null;
  @Shopper()
  @Field(() => String, { nullable: true })
  taxNumber!: string | null;
}

@ObjectType({ description: 'VIP membership card.' })
export class VipCard {
  @Shopper()
  @Field(() => String)
  memberNumber!: string;
  @Shopper()
  @Field(() => String, { nullable: true })
  verificationCode!: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "A store's profile of a customer." })
export class Customer {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String)
  firstName!: string;
  @Shopper()
  @Field(() => String)
  lastName!: string;
  @UseMiddleware(personal('email'))
  @Shopper()
  @Field(() => String, { nullable: true })
  email!: string | null;
  @UseMiddleware(personal('phone'))
  @Shopper()
  @Field(() => String, { nullable: true, description: 'E.164, e.g. +905321234567.' })
  phone!: string | null;
  @Shopper()
  @Field(() => Gender, { nullable: true })
  gender!: Gender | null;
  @UseMiddleware(personal())
  @Shopper()
  @Field(() => String, { nullable: true, description: 'Date of birth, YYYY-MM-DD.' })
  birthDate!: string | null;
  @Shopper()
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2.' })
  country!: string | null;
  @Shopper()
  @Field(() => String, { nullable: true, description: 'BCP 47 tag; once set it is kept.' })
  language!: string | null;
  @Shopper()
  @Field(() => CustomerStatus)
  status!: CustomerStatus;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'Internal marketing notes; never shown to the customer.' })
  notes!: string | null;
  @Internal([])
  @Field(() => [String])
  tags!: string[];
  @Shopper()
  @Field(() => Boolean)
  isBusiness!: boolean;
  @Shopper()
  @Field(() => Date, {
    nullable: true,
    description: 'When the personal data was erased (C19, `eraseCustomer`); the profile stays, blocked and anonymised.',
  })
  erasedAt!: Date | null;
  // Shopper fields, but null for them: a customer never reaches a deleted profile, not even their own.
  @Shopper()
  @Field(() => Date, {
    nullable: true,
    description:
      'C5: when staff deleted the profile (`deleteCustomer`): it is out of lists, searches, segments and counts, ' +
      'and its email and phone are free for another registration. Null for a live profile.',
  })
  deletedAt!: Date | null;
  @Shopper()
  @Field(() => Date, {
    nullable: true,
    description:
      'C5: until when a deleted profile can be restored (`restoreCustomer`); afterwards it is erased as by `eraseCustomer`.',
  })
  restorableUntil!: Date | null;
  @Shopper()
  @Field(() => Date, { description: 'Membership date.' })
  createdAt!: Date;
  @Shopper()
  @Field(() => Date)
  updatedAt!: Date;
}
