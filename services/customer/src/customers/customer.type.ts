import { Directive, Field, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { personal, staffOnly } from '@cg/subgraph';
import { CustomerStatus, Gender } from './customer.enum.ts';

export { CustomerStatus, Gender };

registerEnumType(CustomerStatus, { name: 'CustomerStatus' });

registerEnumType(Gender, { name: 'Gender' });

@ObjectType({ description: 'Company details of a business customer; used wherever its invoice address is shown.' })
export class BusinessDetails {
  @Field(() => String) companyName!: string;
  @Field(() => String, { nullable: true }) taxOffice!: string | null;
  @Field(() => String, { nullable: true }) taxNumber!: string | null;
}

@ObjectType({ description: 'VIP membership card.' })
export class VipCard {
  @Field(() => String) memberNumber!: string;
  @Field(() => String, { nullable: true }) verificationCode!: string | null;
}

@Directive('@key(fields: "id")')
@ObjectType({ description: "A store's profile of a customer." })
export class Customer {
  @Field(() => ID) id!: string;
  @Field(() => String) firstName!: string;
  @Field(() => String) lastName!: string;
  @UseMiddleware(personal('email'))
  @Field(() => String, { nullable: true })
  email!: string | null;
  @UseMiddleware(personal('phone'))
  @Field(() => String, { nullable: true, description: 'E.164, e.g. +905321234567.' })
  phone!: string | null;
  @Field(() => Gender, { nullable: true }) gender!: Gender | null;
  @UseMiddleware(personal())
  @Field(() => String, { nullable: true, description: 'Date of birth, YYYY-MM-DD.' })
  birthDate!: string | null;
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2.' }) country!: string | null;
  @Field(() => String, { nullable: true, description: 'BCP 47 tag; once set it is kept.' }) language!: string | null;
  @Field(() => CustomerStatus) status!: CustomerStatus;
  @UseMiddleware(staffOnly(null))
  @Field(() => String, { nullable: true, description: 'Internal marketing notes; never shown to the customer.' })
  notes!: string | null;
  @UseMiddleware(staffOnly([]))
  @Field(() => [String])
  tags!: string[];
  @Field(() => Boolean) isBusiness!: boolean;
  @Field(() => Date, {
    nullable: true,
    description: 'When the personal data was erased (C19, `eraseCustomer`); the profile stays, blocked and anonymised.',
  })
  erasedAt!: Date | null;
  @Field(() => Date, { description: 'Membership date.' }) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}
