import { Field, ObjectType } from 'type-graphql';
import { Shopper } from '@cg/subgraph';
import type { CustomerRow } from '../db/schema/index.ts';
import { Customer } from '../customers/customer.type.ts';

@ObjectType({ description: 'A signed-in customer (C1): the token to call the graph as them, and their profile.' })
export class CustomerSession {
  @Shopper()
  @Field(() => String, { description: 'A customer token (`Authorization: Bearer …`), what `me` accepts.' })
  token!: string;
  @Shopper()
  @Field(() => Date)
  expiresAt!: Date;
  @Shopper()
  @Field(() => Customer)
  customer!: CustomerRow;
}
