import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Internal, Shopper } from '@cg/subgraph';
import { Customer } from '../customers/customer.type.ts';
import { LoyaltyBonus, LoyaltyEntryKind, LoyaltyRounding } from './loyalty.enum.ts';

registerEnumType(LoyaltyBonus, {
  name: 'LoyaltyBonus',
  description:
    "SIGN_UP: once, when a customer first joins the store; BIRTHDAY: once a year (E3); REFERRAL: a reference code's reward (E9).",
});

registerEnumType(LoyaltyEntryKind, {
  name: 'LoyaltyEntryKind',
  description:
    'EARNED by an order, BONUS, REDEEMED, ADJUSTED by staff, EXPIRED, REVERSED when an order is cancelled or returned (E4).',
});
registerEnumType(LoyaltyRounding, {
  name: 'LoyaltyRounding',
  description: 'FLOOR_PER_ORDER: an order earns floor(amount × points ÷ perMinorUnits); fractions are never earned.',
});

@ObjectType({ description: 'E3: the earning rate, a rational: `points` per `perMinorUnits` minor units.' })
export class LoyaltyRate {
  @Shopper()
  @Field(() => Int)
  points!: number;
  @Shopper()
  @Field(() => Int, { description: 'Minor units of the purchase, e.g. 100 for "per 1.00".' })
  perMinorUnits!: number;
}

@ObjectType({ description: "E3: a store's loyalty program." })
export class LoyaltyProgram {
  @Field(() => Boolean, { description: 'Off: orders earn nothing; points already earned stay.' })
  enabled!: boolean;
  @Field(() => LoyaltyRounding)
  rounding!: LoyaltyRounding;
  @Field(() => Int, {
    description: 'The return window: earned points become spendable this many days after the order was placed.',
  })
  pendingDays!: number;
  @Field(() => Int, { description: 'Points granted once, when a customer first joins the store (0: none).' })
  signUpBonus!: number;
  @Field(() => Int, { description: "Points granted once a year on the customer's birthday (0: none)." })
  birthdayBonus!: number;
  @Field(() => Int, {
    nullable: true,
    description: 'Points expire this many months after they became spendable; null: never.',
  })
  expiryMonths!: number | null;
  @Field(() => Int, { description: 'Goes up with every edit; an EARNED entry names the version that earned it.' })
  version!: number;
  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType({ description: 'What an EARNED entry kept of the rule and the order that earned it (E4).' })
export class LoyaltyRuleSnapshot {
  @Shopper()
  @Field(() => Int)
  programVersion!: number;
  @Shopper()
  @Field(() => LoyaltyRate)
  rate!: LoyaltyRate;
  @Shopper()
  @Field(() => LoyaltyRounding)
  rounding!: `${LoyaltyRounding}`;
  @Shopper()
  @Field(() => Int)
  pendingDays!: number;
  @Shopper()
  @Field(() => Int, {
    nullable: true,
    description: 'Months after they became spendable that the points expire; null: never.',
  })
  expiryMonths!: number | null;
  @Shopper()
  @Field(() => Int, {
    description: "Minor units earned on: the order's total after discounts, less partial cancellations.",
  })
  amount!: number;
  @Shopper()
  @Field(() => String)
  currency!: string;
  @Shopper()
  @Field(() => Int)
  units!: number;
  @Shopper()
  @Field(() => Int, {
    description: 'Units partial cancellations had taken off before the order earned (left out of `amount`).',
  })
  cancelledUnits!: number;
  @Shopper()
  @Field(() => [String], { description: "The order's distinct SKUs." })
  skus!: string[];
}

@ObjectType({ description: 'One line of the append-only points ledger (E4).' })
export class LoyaltyEntry {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => LoyaltyEntryKind)
  kind!: LoyaltyEntryKind;
  @Shopper()
  @Field(() => Int, {
    description: 'Signed: EARNED, BONUS and credits positive; REDEEMED, EXPIRED, REVERSED negative.',
  })
  points!: number;
  @Shopper()
  @Field(() => Date, { nullable: true, description: 'EARNED: when its points become spendable.' })
  availableAt!: Date | null;
  @Shopper()
  @Field(() => Int, {
    nullable: true,
    description: 'Entries that add points: what is left of them (not spent, reversed or expired); null otherwise.',
  })
  remaining!: number | null;
  @Shopper()
  @Field(() => Date, {
    nullable: true,
    description: 'Entries that add points: when what is left expires; null: never.',
  })
  expiresAt!: Date | null;
  @Shopper()
  @Field(() => ID, {
    nullable: true,
    description: 'EARNED and REVERSED: the order; REDEEMED: the order paid, if named.',
  })
  orderId!: string | null;
  @Shopper()
  @Field(() => LoyaltyBonus, { nullable: true, description: 'BONUS: which bonus of the program.' })
  bonus!: LoyaltyBonus | null;
  @Shopper()
  @Field(() => Int, { nullable: true, description: 'BIRTHDAY: the year whose birthday it is.' })
  bonusYear!: number | null;
  @Shopper()
  @Field(() => String, { nullable: true })
  reason!: string | null;
  @Shopper()
  @Field(() => Int, {
    description:
      'REVERSED and ADJUSTED: points owed that the balance no longer had (the balance never goes below zero).',
  })
  shortfall!: number;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'Id of the staff user; null for entries orders wrote.' })
  createdBy!: string | null;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
}

@ObjectType()
export class LoyaltyEntryConnection extends Connection(LoyaltyEntry) {}

@ObjectType({
  description:
    "A customer's loyalty points in the store (E4). Every customer has it, with zero points before their first entry.",
})
export class CustomerLoyalty {}

/** What CustomerLoyalty's field resolvers receive: the customer, and the figures when already known. */
export interface LoyaltyRef {
  customerId: string;
  state?: LoyaltyState;
}

export interface LoyaltyState {
  /** Spendable, pending points whose time has come included. */
  points: number;
  pendingPoints: number;
}

@ObjectType({ description: 'What an adjustment or a redemption wrote and the points after it.' })
export class LoyaltyChangePayload {
  @Field(() => LoyaltyEntry, { description: 'The ADJUSTED or REDEEMED entry written.' }) entry!: LoyaltyEntry;
  @Field(() => CustomerLoyalty) loyalty!: CustomerLoyalty;
  @Field(() => Customer) customer!: Customer;
}
