import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Internal, Shopper } from '@cg/subgraph';
import { LoyaltyCardStatus } from './loyalty-card.enum.ts';

registerEnumType(LoyaltyCardStatus, {
  name: 'LoyaltyCardStatus',
  description:
    'ACTIVE; BLOCKED by staff (its customer earns and redeems nothing while no card is ACTIVE); REPLACED by another card (final) (E5).',
});

@ObjectType({ description: 'E5: a kind of loyalty card of the store (S2: sponsorship group and customer type).' })
export class LoyaltyCardType {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String)
  name!: string;
  @Shopper()
  @Field(() => String, { nullable: true })
  sponsorshipGroup!: string | null;
  @Shopper()
  @Field(() => String, { nullable: true })
  customerType!: string | null;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
  @Shopper()
  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class LoyaltyCardTypeConnection extends Connection(LoyaltyCardType) {}

@ObjectType({ description: "E5: a customer's loyalty card." })
export class LoyaltyCard {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String, { description: 'EAN-13 or EAN-8; unique in the store.' })
  barcode!: string;
  @Shopper()
  @Field(() => Int, { description: "The card's VIP points; never below zero." })
  vipPoints!: number;
  @Shopper()
  @Field(() => LoyaltyCardStatus)
  status!: LoyaltyCardStatus;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'Id of the staff user who issued it.' })
  createdBy!: string | null;
  @Shopper()
  @Field(() => Date, { description: 'When it was issued.' })
  createdAt!: Date;
  @Shopper()
  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class LoyaltyCardConnection extends Connection(LoyaltyCard) {}

@ObjectType({ description: 'What a replacement changed: the new card and the one it replaced.' })
export class ReplaceLoyaltyCardPayload {
  @Field(() => LoyaltyCard, { description: 'ACTIVE, with the VIP points of the card it replaced.' })
  card!: LoyaltyCard;
  @Field(() => LoyaltyCard, { description: 'REPLACED, with no VIP points left.' })
  replaced!: LoyaltyCard;
}
