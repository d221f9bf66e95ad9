import { Field, InputType, Int } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { z } from 'zod';
import { parsePhoneNumberFromString, isSupportedCountry, type CountryCode } from 'libphonenumber-js/max';
import { CustomerStatus, Gender } from './customer.type.ts';
import { CustomerSortField } from './customer.sort.ts';
import { SortDirection, zx } from '@cg/subgraph';

@InputType()
export class BusinessDetailsInput {
  @Field(() => String) companyName!: string;
  @Field(() => String, { nullable: true }) taxOffice?: string | null;
  @Field(() => String, { nullable: true }) taxNumber?: string | null;
}

@InputType()
export class VipCardInput {
  @Field(() => String) memberNumber!: string;
  @Field(() => String, { nullable: true }) verificationCode?: string | null;
}

@InputType()
export class CreateCustomerInput {
  @Field(() => String) firstName!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'With country code (+90 532 …), or national with `country` set.',
  })
  phone?: string | null;
  @Field(() => Gender, { nullable: true }) gender?: Gender | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) birthDate?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
  @Field(() => String, { nullable: true }) language?: string | null;
  @Field(() => CustomerStatus, { nullable: true }) status?: CustomerStatus | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => BusinessDetailsInput, { nullable: true, description: 'Set to make this a business customer.' })
  business?: BusinessDetailsInput | null;
  @Field(() => VipCardInput, { nullable: true }) vipCard?: VipCardInput | null;
}

@InputType({ description: 'Omitted fields stay as they are; null clears a field that may be empty.' })
export class UpdateCustomerInput {
  @Field(() => String, { nullable: true }) firstName?: string | null;
  @Field(() => String, { nullable: true }) lastName?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => Gender, { nullable: true }) gender?: Gender | null;
  @Field(() => String, { nullable: true }) birthDate?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
  @Field(() => String, { nullable: true, description: 'Ignored when the profile already has a language.' })
  language?: string | null;
  @Field(() => CustomerStatus, { nullable: true }) status?: CustomerStatus | null;
  @Field(() => String, { nullable: true }) notes?: string | null;
  @Field(() => [String], { nullable: true }) tags?: string[] | null;
  @Field(() => BusinessDetailsInput, { nullable: true }) business?: BusinessDetailsInput | null;
  @Field(() => VipCardInput, { nullable: true }) vipCard?: VipCardInput | null;
}

@InputType()
export class CustomerFilter {
  @Field(() => String, { nullable: true, description: 'Prefix of first name, last name, full name, email or phone.' })
  search?: string | null;
  @Field(() => [CustomerStatus], { nullable: true }) status?: CustomerStatus[] | null;
  @Field(() => [String], { nullable: true, description: 'ISO 3166-1 alpha-2 codes.' }) country?: string[] | null;
  @Field(() => [String], { nullable: true, description: 'Customers with any of these tags.' }) tags?: string[] | null;
  @Field(() => Date, { nullable: true, description: 'Membership date from (inclusive).' }) createdFrom?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Membership date to (inclusive).' }) createdTo?: Date | null;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Minor units.' }) minTotalSpent?: number | null;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Minor units.' }) maxTotalSpent?: number | null;
  @Field(() => Int, { nullable: true }) minOrders?: number | null;
  @Field(() => Int, { nullable: true }) maxOrders?: number | null;
  @Field(() => Int, { nullable: true, description: 'E4: spendable loyalty points from (inclusive).' })
  minLoyaltyPoints?: number | null;
  @Field(() => Int, { nullable: true, description: 'E4: spendable loyalty points to (inclusive).' })
  maxLoyaltyPoints?: number | null;
  @Field(() => [String], {
    nullable: true,
    description:
      'E3: customers whose loyalty tier (`metrics.loyaltyTier`) is any of these tier names (exact match, 1–20).',
  })
  loyaltyTiers?: string[] | null;
  @Field(() => Date, { nullable: true }) lastOrderFrom?: Date | null;
  @Field(() => Date, { nullable: true }) lastOrderTo?: Date | null;
  @Field(() => [String], {
    nullable: true,
    description:
      'O6: customers who bought any of these SKUs (at most 20) in an order that still counts as a purchase: ' +
      'not a draft, cancelled, expired or returned.',
  })
  skus?: string[] | null;
  @Field(() => Boolean, {
    nullable: true,
    description: "true: only customers on the store's watchlist; false: only the others.",
  })
  watched?: boolean | null;
  @Field(() => Boolean, {
    nullable: true,
    description:
      'C5: true: only deleted customers, who can be restored until their `restorableUntil`; ' +
      'otherwise (the default) only live ones.',
  })
  deleted?: boolean | null;
}

@InputType()
export class CustomerSort {
  @Field(() => CustomerSortField) field!: CustomerSortField;
  @Field(() => SortDirection, { nullable: true }) direction?: SortDirection | null;
}

// ---- zod: the rules behind the GraphQL shapes ----

const name = z.string().trim().min(1, 'must not be empty').max(100);

export const countryCode = z
  .string()
  .trim()
  .toUpperCase()
  .refine((code) => isSupportedCountry(code), { message: 'must be an ISO 3166-1 alpha-2 country code' });

const language = z
  .string()
  .trim()
  .refine(
    (tag) => {
      try {
        return Intl.getCanonicalLocales(tag).length === 1;
      } catch {
        return false;
      }
    },
    { message: 'must be a BCP 47 language tag' },
  )
  .transform((tag) => Intl.getCanonicalLocales(tag)[0]!);

const birthDate = z.iso
  .date({ message: 'must be a date as YYYY-MM-DD' })
  .refine((value) => value >= '1900-01-01' && value <= new Date().toISOString().slice(0, 10), {
    message: 'must be between 1900-01-01 and today',
  });

const tags = z
  .array(z.string().trim().min(1, 'must not be empty').max(50))
  .max(50, 'at most 50 tags')
  .transform((list) => [...new Set(list)]);

const business = z.object({
  companyName: name,
  taxOffice: zx.optionalText(100),
  taxNumber: zx.optionalText(50),
});

const vipCard = z.object({
  memberNumber: z.string().trim().min(1, 'must not be empty').max(50),
  verificationCode: zx.optionalText(50),
});

/** Parses a phone number to E.164; national numbers need the customer's country. */
export function toE164(raw: string, country?: string | null): string | undefined {
  const parsed = parsePhoneNumberFromString(raw, (country ?? undefined) as CountryCode | undefined);
  return parsed?.isValid() ? parsed.number : undefined;
}

/**
 * A new profile or address is checked against the country it gives. An update's phone is checked by
 * its service instead, against the country stored when the input gives none: the input alone
 * cannot tell a national number valid there from one that is not.
 */
export const phoneRule = (data: { phone?: string | null; country?: string | null }, ctx: z.RefinementCtx) => {
  if (data.phone && !toE164(data.phone, data.country)) {
    ctx.addIssue({ code: 'custom', path: ['phone'], message: 'must be a valid phone number with country code' });
  }
};

const profileFields = {
  email: zx.email.nullish(),
  phone: z.string().trim().max(32).nullish(),
  gender: z.enum(Gender).nullish(),
  birthDate: birthDate.nullish(),
  country: countryCode.nullish(),
  language: language.nullish(),
  status: z.enum(CustomerStatus).nullish(),
  notes: zx.optionalText(5000),
  tags: tags.nullish(),
  business: business.nullish(),
  vipCard: vipCard.nullish(),
};

export const createCustomerSchema = z
  .object({ firstName: name, lastName: name, ...profileFields })
  .superRefine(phoneRule)
  .superRefine((data, ctx) => {
    if (!data.email && !data.phone) {
      ctx.addIssue({ code: 'custom', path: ['email'], message: 'an email or a phone number is required' });
    }
  });

export const updateCustomerSchema = z.object({
  firstName: name.optional(),
  lastName: name.optional(),
  ...profileFields,
});

export type CreateCustomerData = z.output<typeof createCustomerSchema>;

export const searchSchema = z.string().trim().max(100).optional();

/** E3: a tier name as engagement's updateLoyaltyTiers accepts it; names are matched exactly. */
export const loyaltyTierName = zx.text(100);

const nonNegative = z.number().int().min(0, 'must not be negative');
/** The list's range and set filters; null and absent both mean "no filter". */
export const customerRangesSchema = z
  .object({
    country: z.array(countryCode).max(50).nullish(),
    tags: z.array(z.string().trim().min(1).max(50)).max(50).nullish(),
    createdFrom: z.date().nullish(),
    createdTo: z.date().nullish(),
    minTotalSpent: nonNegative.nullish(),
    maxTotalSpent: nonNegative.nullish(),
    minOrders: nonNegative.nullish(),
    maxOrders: nonNegative.nullish(),
    minLoyaltyPoints: nonNegative.nullish(),
    maxLoyaltyPoints: nonNegative.nullish(),
    // An empty list would match no one: a mistake, not a filter.
    loyaltyTiers: z
      .array(loyaltyTierName)
      .min(1, 'must not be empty')
      .max(20, 'at most 20 tiers')
      .transform((names) => [...new Set(names)])
      .nullish(),
    lastOrderFrom: z.date().nullish(),
    lastOrderTo: z.date().nullish(),
    skus: z.array(z.string().trim().min(1, 'must not be empty').max(100)).max(20, 'at most 20 SKUs').nullish(),
  })
  .transform(
    (filter) =>
      Object.fromEntries(Object.entries(filter).filter(([, value]) => value !== null && value !== undefined)) as {
        [K in keyof typeof filter]?: NonNullable<(typeof filter)[K]>;
      },
  );
