import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { BARCODE_RULE, isValidBarcode } from './loyalty-card.barcode.ts';

@InputType({ description: 'E5: a kind of loyalty card of the store (S2).' })
export class LoyaltyCardTypeInput {
  @Field(() => String, { description: "Unique in the store, whatever the letters' case." })
  name!: string;
  @Field(() => String, { nullable: true, description: 'The sponsorship group the cards belong to.' })
  sponsorshipGroup?: string | null;
  @Field(() => String, { nullable: true, description: 'The kind of customer the cards are for.' })
  customerType?: string | null;
}

@InputType({ description: 'E5: a card type as a whole; its cards keep their barcodes and points.' })
export class UpdateLoyaltyCardTypeInput extends LoyaltyCardTypeInput {
  @Field(() => ID) id!: string;
}

@InputType({ description: 'E5: a new loyalty card for a customer.' })
export class IssueLoyaltyCardInput {
  @Field(() => ID) customerId!: string;
  @Field(() => ID) cardTypeId!: string;
  @Field(() => String, { description: `Unique in the store; ${BARCODE_RULE}.` })
  barcode!: string;
  @Field(() => Int, {
    defaultValue: 0,
    description: 'VIP points the card starts with (e.g. carried over from the till); not negative.',
  })
  vipPoints!: number;
}

@InputType({ description: 'E5: a new card with a new barcode in place of a lost or worn one.' })
export class ReplaceLoyaltyCardInput {
  @Field(() => ID, { description: 'The card replaced: ACTIVE or BLOCKED.' })
  cardId!: string;
  @Field(() => String, { description: `The new card's barcode; unique in the store; ${BARCODE_RULE}.` })
  barcode!: string;
}

// ---- zod: the rules behind the GraphQL shapes ----

const MAX_POINTS = 1_000_000_000;

const barcode = z.string().trim().refine(isValidBarcode, { message: BARCODE_RULE });

export const loyaltyCardTypeSchema = z.object({
  name: zx.text(100),
  sponsorshipGroup: zx.optionalText(100),
  customerType: zx.optionalText(100),
});

export const updateLoyaltyCardTypeSchema = loyaltyCardTypeSchema.extend({ id: zx.id });

export const issueLoyaltyCardSchema = z.object({
  customerId: zx.id,
  cardTypeId: zx.id,
  barcode,
  vipPoints: z
    .number()
    .int({ message: 'must be whole points' })
    .min(0, 'must not be negative')
    .max(MAX_POINTS, `must be at most ${MAX_POINTS}`),
});

export const replaceLoyaltyCardSchema = z.object({ cardId: zx.id, barcode });
