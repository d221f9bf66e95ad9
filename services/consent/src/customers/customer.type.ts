import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Shopper } from '@cg/subgraph';

/**
 * The customer subgraph owns customers; this subgraph adds their permissions (P4). Those fields are
 * nullable: while this subgraph is away the gateway still answers the rest of the customer, with
 * them null and an error naming this service.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A store's profile of a customer." })
export class Customer {
  @Shopper()
  @Field(() => ID)
  id!: string;
}
