import { Field, ID, InputType, Int } from 'type-graphql';
import { z } from 'zod';
import { zx } from '@cg/subgraph';
import { WalletEntryKind } from './wallet.type.ts';

@InputType({ description: 'Adds to or deducts from a wallet (E1).' })
export class AdjustWalletInput {
  @Field(() => ID) customerId!: string;
  @Field(() => Int, { description: 'Signed minor units: 500 adds 5.00, -500 deducts 5.00; 0 is refused.' })
  amount!: number;
  @Field(() => String, { description: "ISO 4217; must be the wallet's currency once it has one." }) currency!: string;
  @Field(() => String) reason!: string;
  @Field(() => Date, {
    nullable: true,
    description: 'Credits only; must be in the future. The unspent rest then leaves the balance.',
  })
  expiresAt?: Date | null;
  @Field(() => Boolean, { nullable: true, description: 'Ask for the customer to be notified of the change.' })
  notifyCustomer?: boolean | null;
}

@InputType()
export class WalletEntryFilter {
  @Field(() => ID, { nullable: true }) customerId?: string | null;
  @Field(() => WalletEntryKind, { nullable: true }) kind?: WalletEntryKind | null;
  @Field(() => Date, { nullable: true, description: 'Entries created at or after this instant.' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Entries created before this instant.' }) to?: Date | null;
}

// ---- zod: the rules behind the GraphQL shapes ----

const instant = z.date({ message: 'must be a date-time' });

export const adjustWalletSchema = z
  .object({
    customerId: zx.id,
    amount: zx.minorUnits.refine((amount) => amount !== 0, { message: 'must not be zero' }),
    currency: zx.currency,
    reason: z.string().trim().min(1, 'must not be empty').max(500),
    expiresAt: instant.refine((at) => at.getTime() > Date.now(), { message: 'must be in the future' }).nullish(),
    notifyCustomer: z.boolean().nullish(),
  })
  .superRefine((data, ctx) => {
    if (data.expiresAt && data.amount < 0) {
      ctx.addIssue({ code: 'custom', path: ['expiresAt'], message: 'only a credit (a positive amount) can expire' });
    }
  });

export const walletEntryFilterSchema = z
  .object({
    customerId: zx.id.nullish(),
    kind: z.enum(WalletEntryKind).nullish(),
    from: instant.nullish(),
    to: instant.nullish(),
  })
  .superRefine((data, ctx) => {
    if (data.from && data.to && data.from >= data.to) {
      ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after `from`' });
    }
  })
  .nullish();
