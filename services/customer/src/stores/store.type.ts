import { Directive, Field, ID, ObjectType } from 'type-graphql';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A tenant: a vendor, seller account or shop. Every customer belongs to one.' })
export class Store {
  @Field(() => ID) id!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'Default ISO 4217 currency of the store.' }) currency!: string;
  @Field(() => Date) createdAt!: Date;
}
