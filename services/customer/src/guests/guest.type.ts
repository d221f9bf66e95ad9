import { Directive, Field, ID, Int, ObjectType, UseMiddleware } from 'type-graphql';
import { Connection, InternalType, personal } from '@cg/subgraph';

@Directive('@key(fields: "id")')
@InternalType()
@ObjectType({ description: 'C13: a shopper who ordered without registering, known by the contact given at checkout.' })
export class Guest {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true }) name!: string | null;
  @UseMiddleware(personal('email'))
  @Field(() => String, { nullable: true })
  email!: string | null;
  @UseMiddleware(personal('phone'))
  @Field(() => String, { nullable: true, description: 'E.164.' })
  phone!: string | null;
  @Field(() => Date) firstSeenAt!: Date;
  @Field(() => Date) lastSeenAt!: Date;
  @Field(() => Int, { description: 'Orders placed as a guest.' }) orderCount!: number;
  @Field(() => Date, {
    nullable: true,
    description: 'When the guest registered; their orders then became the profile’s.',
  })
  convertedAt!: Date | null;
}

@ObjectType()
export class GuestConnection extends Connection(Guest) {}
