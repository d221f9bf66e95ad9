import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '@cg/subgraph';

export enum AddressKind {
  DELIVERY = 'delivery',
  CORPORATE_INVOICE = 'corporate_invoice',
  INDIVIDUAL_INVOICE = 'individual_invoice',
}
registerEnumType(AddressKind, { name: 'AddressKind' });

@ObjectType()
export class Address {
  @Field(() => ID) id!: string;
  @Field(() => AddressKind) kind!: AddressKind;
  @Field(() => String, { nullable: true, description: 'e.g. "Home", "Office".' }) label!: string | null;
  @Field(() => String) recipient!: string;
  @Field(() => String) line1!: string;
  @Field(() => String, { nullable: true }) line2!: string | null;
  @Field(() => String) city!: string;
  @Field(() => String, { nullable: true, description: 'State, province or district.' }) region!: string | null;
  @Field(() => String, { nullable: true }) postalCode!: string | null;
  @Field(() => String, { description: 'ISO 3166-1 alpha-2.' }) country!: string;
  @Field(() => String, { nullable: true, description: 'E.164.' }) phone!: string | null;
  @Field(() => Boolean, { description: 'The default address of its kind.' }) isDefault!: boolean;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType()
export class AddressConnection extends Connection(Address) {}
