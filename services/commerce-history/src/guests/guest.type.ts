import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { InternalType } from '@cg/subgraph';

/**
 * The customer subgraph's `Guest` (C13), extended here with the orders placed with its contact.
 * This subgraph knows no guest ids: the guest's email and phone come from the customer subgraph
 * (`@requires`), and orders carry the contact they were placed with.
 */
@Directive('@key(fields: "id")')
@InternalType()
@ObjectType({ description: 'A shopper who ordered without registering (owned by the customer subgraph).' })
export class Guest {
  @Field(() => ID) id!: string;
  @Directive('@external')
  @Field(() => String, { nullable: true })
  email!: string | null;
  @Directive('@external')
  @Field(() => String, { nullable: true })
  phone!: string | null;
}

/** What this subgraph's resolvers receive as a Guest: the contact only when a field requires it. */
export interface GuestRef {
  id: string;
  email?: string | null;
  phone?: string | null;
}
