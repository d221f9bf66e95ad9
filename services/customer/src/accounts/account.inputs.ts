import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { Gender } from '../customers/customer.type.ts';

/** What a storefront registers a shopper with (C1): the profile createCustomer takes, less what staff decide. */
@InputType()
export class RegisterCustomerInput {
  @Field(() => String) firstName!: string;
  @Field(() => String) lastName!: string;
  @Field(() => String, { description: 'The email the customer signs in with.' }) email!: string;
  @Field(() => String, {
    nullable: true,
    description: 'With country code (+90 532 …), or national with `country` set.',
  })
  phone?: string | null;
  @Field(() => Gender, { nullable: true }) gender?: Gender | null;
  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD' }) birthDate?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
  @Field(() => String, { nullable: true }) language?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'At least 8 characters. Without one, the customer signs in by emailed code (requestSignInCode).',
  })
  password?: string | null;
}

/** Length only: a long passphrase beats composition rules (NIST SP 800-63B); 256 bounds the hashing work. */
const password = z.string().min(8, 'must be at least 8 characters').max(256, 'must be at most 256 characters');

/** Email and password are checked here; the profile fields by createCustomer's own rules. */
export const registerSchema = z.object({ email: zx.email, password: password.nullish() });

export const signInSchema = z.object({
  email: zx.email,
  // A sign-in only compares: any length up to the limit, so that a wrong one is just wrong.
  password: z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
});

export const emailSchema = z.object({ email: zx.email });

export const codeSchema = z.object({
  email: zx.email,
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'must be the six digits of the emailed code'),
});

export const resetSchema = z.object({ token: zx.text(200), newPassword: password });
