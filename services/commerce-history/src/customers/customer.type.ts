import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Shopper } from '@cg/subgraph';

/**
 * The customer subgraph's `Customer`, extended here with its orders and payments. This subgraph
 * knows only the id; its fields come from `@Resolver(() => Customer)` field resolvers. They are
 * nullable, as is `Guest.orders`: while this subgraph is away the gateway still answers the rest of
 * the customer, with these sections null and an error naming this service.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: "A store's profile of a customer (owned by the customer subgraph)." })
export class Customer {
  @Shopper()
  @Field(() => ID)
  id!: string;
}

/** What this subgraph's resolvers receive as a Customer. */
export interface CustomerRef {
  id: string;
}
