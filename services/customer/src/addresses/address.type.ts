import { Field, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { Connection, personal } from '@cg/subgraph';
import { AddressKind } from './address.enum.ts';

export { AddressKind };

registerEnumType(AddressKind, { name: 'AddressKind' });

@ObjectType()
export class Address {
  @Field(() => ID) id!: string;
  @Field(() => AddressKind) kind!: AddressKind;
  @Field(() => String, { nullable: true, description: 'e.g. "Home", "Office".' }) label!: string | null;
  @UseMiddleware(personal())
  @Field(() => String)
  recipient!: string;
  @UseMiddleware(personal())
  @Field(() => String)
  line1!: string;
  @UseMiddleware(personal())
  @Field(() => String, { nullable: true })
  line2!: string | null;
  @Field(() => String) city!: string;
  @Field(() => String, { nullable: true, description: 'State, province or district.' }) region!: string | null;
  @UseMiddleware(personal())
  @Field(() => String, { nullable: true })
  postalCode!: string | null;
  @Field(() => String, { description: 'ISO 3166-1 alpha-2.' }) country!: string;
  @UseMiddleware(personal('phone'))
  @Field(() => String, { nullable: true, description: 'E.164.' })
  phone!: string | null;
  @Field(() => Boolean, { description: 'The default address of its kind.' }) isDefault!: boolean;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType()
export class AddressConnection extends Connection(Address) {}
