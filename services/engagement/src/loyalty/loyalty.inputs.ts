import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';

@InputType({ description: 'E3: points earned per `perMinorUnits` minor units of a purchase.' })
export class LoyaltyRateInput {
  @Field(() => Int, { description: 'At least 1.' }) points!: number;
  @Field(() => Int, { description: 'At least 1, e.g. 100 for "per 1.00".' }) perMinorUnits!: number;
}

@InputType({ description: "E3: the store's loyalty program, as a whole; points already earned keep their rule." })
export class UpdateLoyaltyProgramInput {
  @Field(() => Boolean) enabled!: boolean;
  @Field(() => LoyaltyRateInput) rate!: LoyaltyRateInput;
  @Field(() => Int, { description: 'Days after an order is placed before its points are spendable (0–365).' })
  pendingDays!: number;
  @Field(() => Int, {
    defaultValue: 0,
    description: 'Points granted once, when a customer first joins the store (0: none). Spendable at once.',
  })
  signUpBonus!: number;
  @Field(() => Int, {
    defaultValue: 0,
    description:
      "Points granted once a year on the customer's birthday (0: none); a birth date set within 30 days waits a year.",
  })
  birthdayBonus!: number;
  @Field(() => Int, {
    nullable: true,
    description: 'Points expire this many months (1–120) after they became spendable; null: never.',
  })
  expiryMonths?: number | null;
}

@InputType({ description: "Adds to or takes from a customer's spendable points (E4), with a reason." })
export class AdjustLoyaltyPointsInput {
  @Field(() => ID) customerId!: string;
  @Field(() => Int, { description: 'Signed, not zero; a deduction cannot take the spendable points below zero.' })
  points!: number;
  @Field(() => String) reason!: string;
}

@InputType({ description: "Spends a customer's spendable points (E4)." })
export class RedeemLoyaltyPointsInput {
  @Field(() => ID) customerId!: string;
  @Field(() => Int, { description: 'Positive.' }) points!: number;
  @Field(() => ID, { nullable: true, description: 'The order the points pay for, if any.' }) orderId?: string | null;
}

// ---- zod: the rules behind the GraphQL shapes ----

const MAX_POINTS = 1_000_000_000;
const points = z
  .number()
  .int({ message: 'must be whole points' })
  .max(MAX_POINTS, `must be at most ${MAX_POINTS}`)
  .min(-MAX_POINTS, `must be at least -${MAX_POINTS}`);

export const updateLoyaltyProgramSchema = z.object({
  enabled: z.boolean(),
  rate: z.object({
    points: z.number().int().min(1, 'must be at least 1: a zero rate earns nothing').max(1_000_000),
    perMinorUnits: z.number().int().min(1, 'must be at least 1').max(1_000_000_000),
  }),
  pendingDays: z.number().int().min(0, 'must not be negative').max(365, 'must be at most 365'),
  signUpBonus: z.number().int().min(0, 'must not be negative').max(MAX_POINTS, `must be at most ${MAX_POINTS}`),
  birthdayBonus: z.number().int().min(0, 'must not be negative').max(MAX_POINTS, `must be at most ${MAX_POINTS}`),
  expiryMonths: z.number().int().min(1, 'must be at least 1').max(120, 'must be at most 120').nullish(),
});

export const adjustLoyaltyPointsSchema = z.object({
  customerId: zx.id,
  points: points.refine((value) => value !== 0, { message: 'must not be zero' }),
  reason: zx.text(500),
});

export const redeemLoyaltyPointsSchema = z.object({
  customerId: zx.id,
  points: points.min(1, 'must be positive'),
  orderId: zx.id.nullish(),
});
