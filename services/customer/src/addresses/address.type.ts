import { Field, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { Connection, personal, Shopper } from '@cg/subgraph';
import { AddressKind } from './address.enum.ts';

export { AddressKind };

registerEnumType(AddressKind, { name: 'AddressKind' });

@ObjectType()
export class Address {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => AddressKind)
  kind!: AddressKind;
  @Shopper()
  @Field(() => String, { nullable: true, description: 'e.g. "Home", "Office".' })
  label!: string | null;
  @UseMiddleware(personal())
  @Shopper()
  @Field(() => String)
  recipient!: string;
  @UseMiddleware(personal())
  @Shopper()
  @Field(() => String)
  line1!: string;
  @UseMiddleware(personal())
  @Shopper()
  @Field(() => String, { nullable: true })
  line2!: string | null;
  @Shopper()
  @Field(() => String)
  city!: string;
  @Shopper()
  @Field(() => String, { nullable: true, description: 'State, province or district.' })
  region!: string | null;
  @UseMiddleware(personal())
  @Shopper()
  @Field(() => String, { nullable: true })
  postalCode!: string | null;
  @Shopper()
  @Field(() => String, { description: 'ISO 3166-1 alpha-2.' })
  country!: string;
  @UseMiddleware(personal('phone'))
  @Shopper()
  @Field(() => String, { nullable: true, description: 'E.164.' })
  phone!: string | null;
  @Shopper()
  @Field(() => Boolean, { description: 'The default address of its kind.' })
  isDefault!: boolean;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
  @Shopper()
  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class AddressConnection extends Connection(Address) {}
