import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { refineCleared, zx } from '@cg/subgraph';
import { ReferenceCodeStatus, ReferenceCodeType } from './reference-code.enum.ts';

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
  })
  .superRefine((data, ctx) => {
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
