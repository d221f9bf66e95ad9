import { Directive, Field, ID, ObjectType } from 'type-graphql';

/** The customer subgraph owns customers; this subgraph adds their permissions (P4). */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A store's profile of a customer." })
export class Customer {
  @Field(() => ID) id!: string;
}
