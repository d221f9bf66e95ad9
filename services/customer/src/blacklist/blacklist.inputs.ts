import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { zx } from '@cg/subgraph';
import { BlacklistReason } from './blacklist.type.ts';

@InputType()
export class AddBlacklistEntryInput {
  @Field(() => String, {
    nullable: true,
    description: 'With its country code, in any spelling: +90 532 123 45 67, 00905321234567, +905321234567.',
  })
  phone?: string | null;
  @Field(() => String, { nullable: true, description: 'Compared case-insensitively. A phone, an email or both.' })
  email?: string | null;
  @Field(() => BlacklistReason) reason!: BlacklistReason;
  @Field(() => String, { nullable: true, description: 'At most 1000 characters.' }) note?: string | null;
}

@InputType({ description: 'Omitted fields stay as they are; null clears the phone, the email or the note.' })
export class UpdateBlacklistEntryInput {
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => BlacklistReason, { nullable: true }) reason?: BlacklistReason | null;
  @Field(() => String, { nullable: true }) note?: string | null;
}

/**
 * A phone with its country code to E.164, or undefined: `+…`, or the international prefix `00…`
 * that many countries dial (libphonenumber reads `00` only with a calling country, which a
 * blacklist entry has none of).
 */
export function blacklistPhone(raw: string): string | undefined {
  const spelled = raw.trim().replace(/^00(?=[1-9])/, '+');
  const parsed = parsePhoneNumberFromString(spelled);
  return parsed?.isValid() ? parsed.number : undefined;
}

// ---- zod: the rules behind the GraphQL shapes ----

const NOTE_MAX = 1000;

const phone = z
  .string()
  .trim()
  .max(32)
  .transform((value, ctx) => {
    if (!value) return null;
    const e164 = blacklistPhone(value);
    if (!e164) ctx.addIssue({ code: 'custom', message: 'must be a valid phone number with country code' });
    return e164 ?? null;
  });
const email = zx.email.transform((value) => value.toLowerCase());
const note = zx.optionalText(NOTE_MAX);

export const addBlacklistEntrySchema = z
  .object({ phone: phone.nullish(), email: email.nullish(), reason: z.enum(BlacklistReason), note })
  .superRefine((data, ctx) => {
    if (!data.phone && !data.email) {
      ctx.addIssue({ code: 'custom', path: ['phone'], message: 'a phone number or an email is required' });
    }
  });

export const updateBlacklistEntrySchema = z.object({
  phone: phone.nullish(),
  email: email.nullish(),
  reason: z.enum(BlacklistReason).nullish(),
  note,
});

/** As the customer list's search: a prefix (or, for a phone, any spelling of the number). */
export const blacklistSearchSchema = z.string().trim().max(100).optional();
