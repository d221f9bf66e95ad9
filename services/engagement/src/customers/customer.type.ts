import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Shopper } from '@cg/subgraph';

/**
 * The customer subgraph owns `Customer`; this subgraph only adds its sections (wallet, ...) to it.
 * A reference carries nothing but the key. Those sections are nullable: while this subgraph is away
 * the gateway still answers the rest of the customer, with them null and an error naming this service.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A store's profile of a customer." })
export class Customer {
  @Shopper()
  @Field(() => ID)
  id!: string;
}

/** What this subgraph's Customer resolvers receive as their root. */
export interface CustomerRef {
  id: string;
}
