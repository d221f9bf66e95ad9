import { Field, ID, InputType, Int } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { z } from 'zod';
import { refineCleared, zx } from '@cg/subgraph';
import { CouponDiscountType, CouponStatus } from './coupon.type.ts';

@InputType()
export class CreateCouponInput {
  @Field(() => String, {
    description: 'Letters, digits, "-" and "_", at most 50; unique in the store whatever the case.',
  })
  code!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The store’s own kind of coupon, e.g. "Welcome".' }) type!: string;
  @Field(() => CouponDiscountType) discountType!: CouponDiscountType;
  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'PERCENTAGE: basis points, 1–10000; FIXED_AMOUNT: minor units, above 0; FREE_SHIPPING: omit.',
  })
  amount?: number | null;
  @Field(() => String, { nullable: true, description: 'FIXED_AMOUNT only, and required there.' })
  currency?: string | null;
  @Field(() => Int, { nullable: true, description: 'Redemptions in total; omit for no limit.' })
  usageLimit?: number | null;
  @Field(() => Int, { nullable: true, description: 'Redemptions per customer; omit for no limit.' })
  perCustomerLimit?: number | null;
  @Field(() => Date, { nullable: true, description: 'Default now.' }) startsAt?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Exclusive; after startsAt. Omit for never.' })
  expiresAt?: Date | null;
  @Field(() => ID, { nullable: true, description: 'A campaign of the store the coupon belongs to.' })
  campaignId?: string | null;
}

@InputType({
  description:
    'Omitted fields stay as they are. The code and what the coupon takes off stay as created: orders have ' +
    'redeemed them.',
})
export class UpdateCouponInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) type?: string | null;
  @Field(() => Int, { nullable: true, description: 'Not below the uses so far.' }) usageLimit?: number | null;
  @Field(() => Int, { nullable: true }) perCustomerLimit?: number | null;
  @Field(() => Date, { nullable: true }) startsAt?: Date | null;
  @Field(() => Date, { nullable: true }) expiresAt?: Date | null;
  @Field(() => ID, { nullable: true }) campaignId?: string | null;
  @Field(() => [String], {
    nullable: true,
    description:
      'Fields to set to null (no limit, no expiry, no campaign): usageLimit, perCustomerLimit, expiresAt, campaignId.',
  })
  clear?: string[] | null;
}

@InputType({ description: 'Each given list is "any of"; all given conditions must hold.' })
export class CouponFilter {
  @Field(() => [CouponStatus], { nullable: true }) status?: CouponStatus[] | null;
  @Field(() => [ID], { nullable: true }) campaignId?: string[] | null;
  @Field(() => String, { nullable: true, description: 'Codes starting with this, case-insensitively.' })
  code?: string | null;
}

// ---- zod: the rules behind the GraphQL shapes ----

/** Codes are compared lower-cased in PostgreSQL and here: ASCII keeps both the same. */
const couponCode = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(50)
  .regex(/^[A-Za-z0-9_-]+$/, { message: 'must be letters, digits, "-" or "_"' });
const name = zx.text(200);
const type = zx.text(100);
const date = z.date({ message: 'must be a date-time' });
const limit = z.number().int().min(1, 'must be at least 1').max(1_000_000_000);

const CLEARABLE = ['usageLimit', 'perCustomerLimit', 'expiresAt', 'campaignId'] as const;

export const createCouponSchema = z
  .object({
    code: couponCode,
    name,
    type,
    discountType: z.enum(CouponDiscountType),
    amount: zx.minorUnits.nullish(),
    currency: zx.currency.nullish(),
    usageLimit: limit.nullish().transform((value) => value ?? null),
    perCustomerLimit: limit.nullish().transform((value) => value ?? null),
    startsAt: date.nullish().transform((value) => value ?? new Date()),
    expiresAt: date.nullish().transform((value) => value ?? null),
    campaignId: zx.id.nullish().transform((value) => value?.toLowerCase() ?? null),
  })
  .superRefine((data, ctx) => {
    if (data.expiresAt && data.expiresAt <= data.startsAt)
      ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'must be after startsAt' });
    if (data.usageLimit !== null && data.perCustomerLimit !== null && data.perCustomerLimit > data.usageLimit)
      ctx.addIssue({ code: 'custom', path: ['perCustomerLimit'], message: 'must not exceed usageLimit' });
    switch (data.discountType) {
      case CouponDiscountType.PERCENTAGE:
        if (data.amount == null || data.amount < 1 || data.amount > 10_000)
          ctx.addIssue({ code: 'custom', path: ['amount'], message: 'must be 1–10000 basis points' });
        if (data.currency) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'only for FIXED_AMOUNT' });
        break;
      case CouponDiscountType.FIXED_AMOUNT:
        if (data.amount == null || data.amount < 1)
          ctx.addIssue({ code: 'custom', path: ['amount'], message: 'must be above 0 minor units' });
        if (!data.currency)
          ctx.addIssue({ code: 'custom', path: ['currency'], message: 'is required for FIXED_AMOUNT' });
        break;
      case CouponDiscountType.FREE_SHIPPING:
        if (data.amount)
          ctx.addIssue({ code: 'custom', path: ['amount'], message: 'must be omitted for FREE_SHIPPING' });
        if (data.currency) ctx.addIssue({ code: 'custom', path: ['currency'], message: 'only for FIXED_AMOUNT' });
        break;
    }
  })
  .transform((data) => ({ ...data, amount: data.amount ?? 0, currency: data.currency ?? null }));

/** Null is the same as omitted; `clear` sets a nullable field to null. */
export const updateCouponSchema = z
  .object({
    name: name.nullish().transform((value) => value ?? undefined),
    type: type.nullish().transform((value) => value ?? undefined),
    usageLimit: limit.nullish().transform((value) => value ?? undefined),
    perCustomerLimit: limit.nullish().transform((value) => value ?? undefined),
    startsAt: date.nullish().transform((value) => value ?? undefined),
    expiresAt: date.nullish().transform((value) => value ?? undefined),
    campaignId: zx.id.nullish().transform((value) => value?.toLowerCase() ?? undefined),
    clear: zx.clearList(CLEARABLE),
  })
  .superRefine(refineCleared);

export const couponFilterSchema = z.object({
  status: zx.enumSet(CouponStatus),
  campaignId: z
    .array(zx.id)
    .max(20)
    .nullish()
    .transform((list) => (list?.length ? [...new Set(list.map((id) => id.toLowerCase()))].sort() : null)),
  code: z
    .string()
    .trim()
    .max(50)
    .nullish()
    .transform((value) => value?.toLowerCase() || null),
});
export type CouponFilterValues = z.output<typeof couponFilterSchema>;
