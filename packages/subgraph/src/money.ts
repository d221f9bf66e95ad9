import { Directive, Field, ObjectType } from 'type-graphql';
import { Shopper } from './audience.ts';
import { GraphQLSafeInt } from 'graphql-scalars';

@Directive('@shareable')
@ObjectType({ description: 'An amount in minor units (cents) of an ISO 4217 currency.' })
export class Money {
  @Shopper()
  @Field(() => GraphQLSafeInt, { description: 'Minor units: 1999 is 19.99 in a two-decimal currency.' })
  amount!: number;

  @Shopper()
  @Field(() => String, { description: 'ISO 4217 code, e.g. EUR.' })
  currency!: string;
}

export function money(amount: number, currency: string): Money {
  return { amount, currency };
}
