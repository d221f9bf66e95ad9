import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { refineCleared, zx } from '@cg/subgraph';
import {
  ReferenceCodeStatus,
  ReferenceCodeType,
  ReferenceRewardBeneficiary,
  ReferenceRewardKind,
} from './reference-code.enum.ts';

@InputType({
  description:
    'E9: who may use a code. Every rule given must hold; a list is "any of"; an omitted or null list is no rule.',
})
export class ReferenceCodeRulesInput {
  @Field(() => Boolean, {
    nullable: true,
    description: 'By role: only customers without a purchase in the store yet (the order it is used on aside).',
  })
  newCustomersOnly?: boolean | null;
  @Field(() => [ID], { nullable: true, description: 'By role: only customers holding one of these loyalty tiers.' })
  tierIds?: string[] | null;
  @Field(() => [String], {
    nullable: true,
    description: "By seller: only on orders from these sales platforms (the order's `platform`, any case).",
  })
  platforms?: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'By user: only these customers of the store.' })
  customerIds?: string[] | null;
}

@InputType({ description: 'E9: one reward of a code; at most one per beneficiary.' })
export class ReferenceCodeRewardInput {
  @Field(() => ReferenceRewardBeneficiary, { description: 'REFERRER only on USER codes (their owner).' })
  beneficiary!: ReferenceRewardBeneficiary;
  @Field(() => ReferenceRewardKind, { description: 'DISCOUNT only for the REFEREE.' }) kind!: ReferenceRewardKind;
  @Field(() => Int, { description: 'Points, or minor units of `currency`; at least 1.' }) amount!: number;
  @Field(() => String, { nullable: true, description: 'ISO 4217; required for WALLET and DISCOUNT, not for POINTS.' })
  currency?: string | null;
}

@InputType({ description: 'E8: a new reference code.' })
export class CreateReferenceCodeInput {
  @Field(() => String, {
    nullable: true,
    description:
      'Letters, digits, "-" and "_", 3–50; unique in the store whatever the case. Omitted: one is made (8 characters without look-alikes).',
  })
  code?: string | null;
  @Field(() => String) name!: string;
  @Field(() => ReferenceCodeType) type!: ReferenceCodeType;
  @Field(() => ID, {
    nullable: true,
    description: 'USER codes only, and required there: the referring customer who owns the code.',
  })
  customerId?: string | null;
  @Field(() => Int, { nullable: true, description: 'Uses in total; omit for no limit; not negative.' })
  usageLimit?: number | null;
  @Field(() => Int, { nullable: true, description: 'Uses per customer; omit for no limit; not negative.' })
  perCustomerLimit?: number | null;
  @Field(() => Date, { nullable: true, description: 'Default now.' })
  startsAt?: Date | null;
  @Field(() => Date, { nullable: true, description: 'The planned end (exclusive); after startsAt. Omit for none.' })
  endsAt?: Date | null;
  @Field(() => ReferenceCodeRulesInput, { nullable: true, description: 'E9: omitted, anyone may use it.' })
  rules?: ReferenceCodeRulesInput | null;
  @Field(() => [ReferenceCodeRewardInput], { nullable: true, description: 'E9: omitted, it grants nothing.' })
  rewards?: ReferenceCodeRewardInput[] | null;
}

@InputType({
  description:
    "E8: a code's general settings. Omitted fields stay as they are; the code, its type and owner stay as created.",
})
export class UpdateReferenceCodeInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => Int, { nullable: true, description: 'Not below the uses so far.' }) usageLimit?: number | null;
  @Field(() => Int, { nullable: true }) perCustomerLimit?: number | null;
  @Field(() => Date, { nullable: true }) startsAt?: Date | null;
  @Field(() => Date, { nullable: true }) endsAt?: Date | null;
  @Field(() => ReferenceCodeRulesInput, {
    nullable: true,
    description: 'E9: replaces the rules as a whole (uses so far stay as they are).',
  })
  rules?: ReferenceCodeRulesInput | null;
  @Field(() => [ReferenceCodeRewardInput], {
    nullable: true,
    description: 'E9: replaces the rewards as a whole, for uses from now on; [] for none.',
  })
  rewards?: ReferenceCodeRewardInput[] | null;
  @Field(() => [String], {
    nullable: true,
    description: 'Fields to set to null (no limit, no planned end): usageLimit, perCustomerLimit, endsAt.',
  })
  clear?: string[] | null;
}

@InputType({ description: 'Each given list is "any of"; all given conditions must hold.' })
export class ReferenceCodeFilter {
  @Field(() => [ReferenceCodeType], { nullable: true }) types?: ReferenceCodeType[] | null;
  @Field(() => [ReferenceCodeStatus], { nullable: true }) statuses?: ReferenceCodeStatus[] | null;
  @Field(() => String, {
    nullable: true,
    description: 'Codes or names starting with this, case-insensitively.',
  })
  search?: string | null;
}

@InputType({ description: 'E8: a customer uses a code (at registration or order intake).' })
export class UseReferenceCodeInput {
  @Field(() => String, { description: 'As the customer typed it; case does not matter.' }) code!: string;
  @Field(() => ID, { description: 'The referee; a customer token may only name itself.' }) customerId!: string;
  @Field(() => ID, { nullable: true, description: 'The order it is used on, if any; an order uses a code once.' })
  orderId?: string | null;
}

// ---- zod: the rules behind the GraphQL shapes ----

/** Codes are compared lower-cased in PostgreSQL and here: ASCII keeps both the same. */
const code = z
  .string()
  .trim()
  .min(3, 'must be at least 3 characters')
  .max(50, 'must be at most 50 characters')
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'must be letters, digits, "-" or "_"' });
const name = zx.text(200);
const date = z.date({ message: 'must be a date-time' });
const limit = z.number().int().min(0, 'must not be negative').max(1_000_000_000);

const CLEARABLE = ['usageLimit', 'perCustomerLimit', 'endsAt'] as const;

/** Ids once each, lower-cased as the database writes them; an empty list is a mistake (omit it for no rule). */
const idList = (max: number) =>
  z
    .array(zx.id.transform((value) => value.toLowerCase()))
    .min(1, 'must not be empty; omit it for no rule')
    .max(max, `must have at most ${max} entries`)
    .nullish()
    .transform((list) => (list ? [...new Set(list)] : null));

const rulesSchema = z
  .object({
    newCustomersOnly: z
      .boolean()
      .nullish()
      .transform((value) => value ?? false),
    tierIds: idList(20),
    platforms: z
      .array(zx.text(100))
      .min(1, 'must not be empty; omit it for no rule')
      .max(20, 'must have at most 20 entries')
      .nullish()
      .transform((list) => (list ? [...new Map(list.map((name) => [name.toLowerCase(), name])).values()] : null)),
    customerIds: idList(100),
  })
  .nullish()
  .transform((rules) => rules ?? undefined);

const rewardsSchema = z
  .array(
    z
      .object({
        beneficiary: z.enum(ReferenceRewardBeneficiary),
        kind: z.enum(ReferenceRewardKind),
        amount: z.number().int().min(1, 'must be at least 1').max(1_000_000_000),
        currency: zx.currency.nullish().transform((value) => value ?? null),
      })
      .superRefine((reward, ctx) => {
        const money = reward.kind !== ReferenceRewardKind.POINTS;
        if (money && !reward.currency)
          ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is required for WALLET and DISCOUNT' });
        if (!money && reward.currency)
          ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is only for WALLET and DISCOUNT' });
        if (reward.kind === ReferenceRewardKind.DISCOUNT && reward.beneficiary !== ReferenceRewardBeneficiary.REFEREE)
          ctx.addIssue({ code: 'custom', path: ['kind'], message: 'DISCOUNT is only for the REFEREE' });
      }),
  )
  .max(2, 'must have at most one reward per beneficiary')
  .superRefine((rewards, ctx) => {
    rewards.forEach((reward, index) => {
      if (rewards.findIndex((other) => other.beneficiary === reward.beneficiary) < index)
        ctx.addIssue({ code: 'custom', path: [index, 'beneficiary'], message: 'has a reward already' });
    });
  })
  .nullish()
  .transform((rewards) => rewards ?? undefined);

/** A REFERRER reward needs a referrer: a USER code's owner. */
export const referrerRewardIndex = (rewards: { beneficiary: ReferenceRewardBeneficiary }[] | undefined) =>
  rewards?.findIndex((reward) => reward.beneficiary === ReferenceRewardBeneficiary.REFERRER) ?? -1;

export const createReferenceCodeSchema = z
  .object({
    code: code.nullish().transform((value) => value ?? null),
    name,
    type: z.enum(ReferenceCodeType),
    customerId: zx.id.nullish().transform((value) => value?.toLowerCase() ?? null),
    usageLimit: limit.nullish().transform((value) => value ?? null),
    perCustomerLimit: limit.nullish().transform((value) => value ?? null),
    // Omitted: the request's instant (the service's), so a code made now is ACTIVE at once.
    startsAt: date.nullish().transform((value) => value ?? null),
    endsAt: date.nullish().transform((value) => value ?? null),
    rules: rulesSchema,
    rewards: rewardsSchema,
  })
  .superRefine((data, ctx) => {
    const referrer = referrerRewardIndex(data.rewards);
    if (referrer >= 0 && data.type !== ReferenceCodeType.USER)
      ctx.addIssue({
        code: 'custom',
        path: ['rewards', referrer, 'beneficiary'],
        message: 'REFERRER is only for USER codes',
      });
    if (data.endsAt && data.endsAt <= (data.startsAt ?? new Date()))
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
    if (data.usageLimit !== null && data.perCustomerLimit !== null && data.perCustomerLimit > data.usageLimit)
      ctx.addIssue({ code: 'custom', path: ['perCustomerLimit'], message: 'must not exceed usageLimit' });
    if (data.type === ReferenceCodeType.USER && !data.customerId)
      ctx.addIssue({ code: 'custom', path: ['customerId'], message: 'is required for a USER code' });
    if (data.type !== ReferenceCodeType.USER && data.customerId)
      ctx.addIssue({ code: 'custom', path: ['customerId'], message: 'is only for USER codes' });
  });

/** Null is the same as omitted; `clear` sets a nullable field to null. */
export const updateReferenceCodeSchema = z
  .object({
    name: name.nullish().transform((value) => value ?? undefined),
    usageLimit: limit.nullish().transform((value) => value ?? undefined),
    perCustomerLimit: limit.nullish().transform((value) => value ?? undefined),
    startsAt: date.nullish().transform((value) => value ?? undefined),
    endsAt: date.nullish().transform((value) => value ?? undefined),
    rules: rulesSchema,
    rewards: rewardsSchema,
    clear: zx.clearList(CLEARABLE),
  })
  .superRefine(refineCleared);

export const referenceCodeFilterSchema = z.object({
  types: zx.enumSet(ReferenceCodeType),
  statuses: zx.enumSet(ReferenceCodeStatus),
  search: z
    .string()
    .trim()
    .max(200)
    .nullish()
    .transform((value) => value?.toLowerCase() || null),
});

export const useReferenceCodeSchema = z.object({
  // Any text: a code that is not one of the store's is answered as unknown, on this field.
  code: z.string().trim().min(1, 'must not be empty').max(50, 'is not a reference code of this store'),
  customerId: zx.id.transform((value) => value.toLowerCase()),
  orderId: zx.id.nullish().transform((value) => value?.toLowerCase() ?? null),
});

/** E10: a day, as the store's calendar has it. */
const day = z.string().refine(
  (value) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  },
  { message: 'must be a day of the calendar, YYYY-MM-DD' },
);

export const dashboardRangeSchema = z.object({ from: day.nullish(), to: day.nullish() });
