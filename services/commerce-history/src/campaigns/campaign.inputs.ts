import { Field, InputType } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { CampaignDiscountType, CampaignStatus } from './campaign.type.ts';

@InputType()
export class CreateCampaignInput {
  @Field(() => String) name!: string;
  @Field(() => String, { description: 'The store’s own kind of campaign, e.g. "Seasonal sale".' }) type!: string;
  @Field(() => CampaignDiscountType) discountType!: CampaignDiscountType;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date, { description: 'Exclusive; after startsAt.' }) endsAt!: Date;
}

@InputType({ description: 'Omitted fields stay as they are.' })
export class UpdateCampaignInput {
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, { nullable: true }) type?: string | null;
  @Field(() => CampaignDiscountType, { nullable: true }) discountType?: CampaignDiscountType | null;
  @Field(() => Date, { nullable: true }) startsAt?: Date | null;
  @Field(() => Date, { nullable: true }) endsAt?: Date | null;
}

@InputType({ description: 'Each given list is "any of"; all given lists must hold.' })
export class CampaignFilter {
  @Field(() => [CampaignStatus], { nullable: true }) status?: CampaignStatus[] | null;
  @Field(() => [CampaignDiscountType], { nullable: true }) discountType?: CampaignDiscountType[] | null;
}

// ---- zod: the rules behind the GraphQL shapes ----

const name = zx.text(200);
const type = zx.text(100);
const date = z.date({ message: 'must be a date-time' });

export const createCampaignSchema = z
  .object({ name, type, discountType: z.enum(CampaignDiscountType), startsAt: date, endsAt: date })
  .superRefine((data, ctx) => {
    if (data.endsAt <= data.startsAt)
      ctx.addIssue({ code: 'custom', path: ['endsAt'], message: 'must be after startsAt' });
  });

/** Null is the same as omitted: every field of a campaign is required. */
export const updateCampaignSchema = z.object({
  name: name.nullish().transform((value) => value ?? undefined),
  type: type.nullish().transform((value) => value ?? undefined),
  discountType: z
    .enum(CampaignDiscountType)
    .nullish()
    .transform((value) => value ?? undefined),
  startsAt: date.nullish().transform((value) => value ?? undefined),
  endsAt: date.nullish().transform((value) => value ?? undefined),
});

export const campaignFilterSchema = z.object({
  status: zx.enumSet(CampaignStatus),
  discountType: zx.enumSet(CampaignDiscountType),
});
export type CampaignFilterValues = z.output<typeof campaignFilterSchema>;

/** The campaigns an order names: ids, each once. */
export const campaignIdsSchema = z
  .array(zx.id)
  .max(20, 'at most 20 campaigns')
  .transform((ids) => [...new Set(ids.map((id) => id.toLowerCase()))]);
