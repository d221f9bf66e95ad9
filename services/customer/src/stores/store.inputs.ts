import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { timeZoneSchema } from './store.time-zone.ts';

@InputType({ description: 'T1: omitted fields stay as they are.' })
export class UpdateStoreInput {
  @Field(() => ID, { nullable: true, description: "The token's store (the default); no other is found." })
  storeId?: string | null;
  @Field(() => String, { nullable: true }) name?: string | null;
  @Field(() => String, {
    nullable: true,
    description: "An IANA time zone name as IANA spells it, e.g. 'Europe/Istanbul' or 'UTC'.",
  })
  timeZone?: string | null;
  @Field(() => Int, {
    nullable: true,
    description:
      'C5: days a deleted customer can be restored (1–365); profiles deleted from now on are erased after that. ' +
      'Profiles already deleted keep the window they were given.',
  })
  deletedCustomerRetentionDays?: number | null;
}

const name = zx.text(200);

export const createStoreSchema = z.object({ name, currency: zx.currency, timeZone: timeZoneSchema.optional() });
export const updateStoreSchema = z.object({
  storeId: zx.id.nullish(),
  name: name.nullish(),
  timeZone: timeZoneSchema.nullish(),
  deletedCustomerRetentionDays: z.number().int().min(1).max(365).nullish(),
});
