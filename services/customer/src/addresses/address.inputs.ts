import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { AddressKind } from './address.type.ts';
import { countryCode, phoneRule } from '../customers/customer.inputs.ts';

@InputType()
export class AddAddressInput {
  @Field(() => AddressKind) kind!: AddressKind;
  @Field(() => String, { nullable: true }) label?: string | null;
  @Field(() => String) recipient!: string;
  @Field(() => String) line1!: string;
  @Field(() => String, { nullable: true }) line2?: string | null;
  @Field(() => String) city!: string;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => String) country!: string;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => Boolean, {
    nullable: true,
    description: 'The first address of a kind is always the default; later ones only when this is true.',
  })
  isDefault?: boolean | null;
}

@InputType({ description: 'Omitted fields stay as they are. The kind of an address does not change.' })
export class UpdateAddressInput {
  @Field(() => String, { nullable: true }) label?: string | null;
  @Field(() => String, { nullable: true }) recipient?: string | null;
  @Field(() => String, { nullable: true }) line1?: string | null;
  @Field(() => String, { nullable: true }) line2?: string | null;
  @Field(() => String, { nullable: true }) city?: string | null;
  @Field(() => String, { nullable: true }) region?: string | null;
  @Field(() => String, { nullable: true }) postalCode?: string | null;
  @Field(() => String, { nullable: true }) country?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => Boolean, { nullable: true, description: 'true makes this the default of its kind.' })
  makeDefault?: boolean | null;
}

export const addAddressSchema = z
  .object({
    kind: z.enum(AddressKind),
    label: zx.optionalText(50),
    recipient: zx.text(200),
    line1: zx.text(200),
    line2: zx.optionalText(200),
    city: zx.text(100),
    region: zx.optionalText(100),
    postalCode: zx.optionalText(20),
    country: countryCode,
    phone: z.string().trim().max(32).nullish(),
    isDefault: z.boolean().nullish(),
  })
  .superRefine(phoneRule);

export const updateAddressSchema = z.object({
  label: zx.optionalText(50),
  recipient: zx.text(200).optional(),
  line1: zx.text(200).optional(),
  line2: zx.optionalText(200),
  city: zx.text(100).optional(),
  region: zx.optionalText(100),
  postalCode: zx.optionalText(20),
  country: countryCode.optional(),
  phone: z.string().trim().max(32).nullish(),
  makeDefault: z.boolean().nullish(),
});
