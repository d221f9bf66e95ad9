import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Internal, InternalType, Shopper } from '@cg/subgraph';
import {
  ReferenceCodeAction,
  ReferenceCodeStatus,
  ReferenceCodeType,
  ReferenceRewardBeneficiary,
  ReferenceRewardKind,
  ReferenceRewardStatus,
} from './reference-code.enum.ts';

registerEnumType(ReferenceCodeType, {
  name: 'ReferenceCodeType',
  description: 'Whose reference code it is (E8).',
  valuesConfig: {
    PLATFORM: { description: "The platform's own code." },
    SELLER: { description: "A seller's code." },
    USER: { description: 'A referring customer’s code: `owner` is that customer.' },
  },
});
registerEnumType(ReferenceCodeStatus, {
  name: 'ReferenceCodeStatus',
  description: 'Follows from the dates, the actions and the uses when read (E8).',
  valuesConfig: {
    SCHEDULED: { description: 'Not stopped, and not started yet.' },
    ACTIVE: { description: 'Started, not stopped, expired or exhausted: it can be used.' },
    STOPPED: {
      description: 'Stopped by hand ("stop validity", `stopReferenceCode`); `resumeReferenceCode` undoes it.',
    },
    EXPIRED: { description: 'Expired by hand (`expireReferenceCode`) or past its planned end; final.' },
    EXHAUSTED: { description: 'Used as often as its usage limit allows.' },
  },
});
registerEnumType(ReferenceCodeAction, { name: 'ReferenceCodeAction', description: 'A lifecycle action (E8).' });
registerEnumType(ReferenceRewardBeneficiary, {
  name: 'ReferenceRewardBeneficiary',
  description: 'Who a reference code reward goes to (E9).',
  valuesConfig: {
    REFEREE: { description: 'The customer who used the code.' },
    REFERRER: { description: "A USER code's owner, who referred them." },
  },
});
registerEnumType(ReferenceRewardKind, {
  name: 'ReferenceRewardKind',
  description: 'What a reference code reward is (E9).',
  valuesConfig: {
    POINTS: { description: 'Loyalty points: a BONUS entry (REFERRAL) of the points ledger.' },
    WALLET: { description: 'Wallet credit: a CREDIT entry of the wallet ledger, in `currency`.' },
    DISCOUNT: {
      description:
        'Money off the order the code is used on, in `currency`: shown on the use (`discount`) for order intake to apply; no ledger entry.',
    },
  },
});
registerEnumType(ReferenceRewardStatus, {
  name: 'ReferenceRewardStatus',
  description: 'A granted reward (E9).',
  valuesConfig: {
    GRANTED: { description: 'Paid into its ledger (or, for a DISCOUNT, owed to the order).' },
    REVERSED: { description: 'Its order stopped counting (cancelled, returned): taken back by a ledger entry; final.' },
  },
});

@InternalType()
@ObjectType({ description: 'E9: who may use a code; every rule given must hold, a list is "any of", null is no rule.' })
export class ReferenceCodeRules {
  @Field(() => Boolean, { description: 'By role: only customers without a purchase in the store yet.' })
  newCustomersOnly!: boolean;
  @Field(() => [ID], { nullable: true, description: 'By role: only customers holding one of these loyalty tiers.' })
  tierIds!: string[] | null;
  @Field(() => [String], {
    nullable: true,
    description: "By seller: only on orders from these sales platforms (the order's `platform`, any case).",
  })
  platforms!: string[] | null;
  @Field(() => [ID], { nullable: true, description: 'By user: only these customers.' })
  customerIds!: string[] | null;
}

@ObjectType({ description: 'E9: one reward a code grants.' })
export class ReferenceCodeReward {
  @Shopper()
  @Field(() => ReferenceRewardBeneficiary)
  beneficiary!: ReferenceRewardBeneficiary;
  @Shopper()
  @Field(() => ReferenceRewardKind)
  kind!: ReferenceRewardKind;
  @Shopper()
  @Field(() => Int, { description: 'Points, or minor units of `currency`.' })
  amount!: number;
  @Shopper()
  @Field(() => String, { nullable: true, description: 'WALLET and DISCOUNT: ISO 4217.' })
  currency!: string | null;
}

@InternalType()
@ObjectType({
  description:
    'E9: a reward a use granted, once its order counted: to whom, what, and whether its order has since undone it.',
})
export class ReferenceCodeGrantedReward {
  @Field(() => ReferenceRewardBeneficiary) beneficiary!: ReferenceRewardBeneficiary;
  @Field(() => ReferenceRewardKind) kind!: ReferenceRewardKind;
  @Field(() => Int, { description: 'Points, or minor units of `currency`.' }) amount!: number;
  @Field(() => String, { nullable: true }) currency!: string | null;
  @Field(() => ReferenceRewardStatus) status!: ReferenceRewardStatus;
  @Field(() => ID, { description: 'The order whose counting granted it.' }) orderId!: string;
  @Field(() => ID, {
    nullable: true,
    description: 'POINTS: the loyalty entry; WALLET: the wallet entry. Null for a DISCOUNT.',
  })
  entryId!: string | null;
  @Field(() => ID, { nullable: true, description: 'The entry that took it back, if reversed.' })
  reversalEntryId!: string | null;
  @Field(() => Int, { description: 'What the reversal could not take back, spent meanwhile.' }) shortfall!: number;
  @Field(() => Date) grantedAt!: Date;
  @Field(() => Date, { nullable: true }) reversedAt!: Date | null;
}

/** E8: a reference (referral) code of the store; `status`, `owner`, history and dashboard are field resolvers. */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A reference (referral) code of the store (E8).' })
export class ReferenceCode {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => String, { description: 'Unique in the store, case-insensitively; as it was created.' })
  code!: string;
  @Shopper()
  @Field(() => String)
  name!: string;
  @Shopper()
  @Field(() => ReferenceCodeType)
  type!: ReferenceCodeType;
  @Shopper()
  @Field(() => Int, { nullable: true, description: 'Uses in total; null for no limit.' })
  usageLimit!: number | null;
  @Shopper()
  @Field(() => Int, { nullable: true, description: 'Uses per customer; null for no limit.' })
  perCustomerLimit!: number | null;
  @Shopper()
  @Field(() => Int, { description: 'Uses so far.' })
  uses!: number;
  @Shopper()
  @Field(() => Date)
  startsAt!: Date;
  @Shopper()
  @Field(() => Date, { nullable: true, description: 'The planned end (exclusive); null for none.' })
  endsAt!: Date | null;
  @Shopper()
  @Field(() => Date, { nullable: true, description: 'Since when it is stopped by hand; null unless STOPPED.' })
  stoppedAt!: Date | null;
  @Shopper()
  @Field(() => Date, { nullable: true, description: 'When it was expired by hand.' })
  expiredAt!: Date | null;
  @Internal(null)
  @Field(() => ReferenceCodeRules, {
    nullable: true,
    description: 'E9: who may use it; a use that fails a rule is refused, naming it. Staff only (null otherwise).',
  })
  rules!: ReferenceCodeRules | null;
  @Shopper()
  @Field(() => [ReferenceCodeReward], {
    description: "E9: what the customer's first use of it on an order grants, once the order counts.",
  })
  rewards!: ReferenceCodeReward[];
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'Staff user who created it.' })
  createdBy!: string | null;
  @Shopper()
  @Field(() => Date)
  createdAt!: Date;
  @Shopper()
  @Field(() => Date)
  updatedAt!: Date;
}

@ObjectType()
export class ReferenceCodeConnection extends Connection(ReferenceCode) {}

@InternalType()
@ObjectType({ description: 'A lifecycle action on a code, when and by whom (E8).' })
export class ReferenceCodeStatusChange {
  @Field(() => ID) id!: string;
  @Field(() => ReferenceCodeAction) action!: ReferenceCodeAction;
  @Field(() => ReferenceCodeStatus, { nullable: true, description: 'Null on creation.' })
  fromStatus!: ReferenceCodeStatus | null;
  @Field(() => ReferenceCodeStatus) toStatus!: ReferenceCodeStatus;
  @Field(() => Date) changedAt!: Date;
  @Field(() => String, {
    description: 'The user id of the staff member who acted; `erasure` when its owner was erased (C19).',
  })
  changedBy!: string;
}

@ObjectType({ description: 'A use of a reference code by a customer, the referee (E8).' })
export class ReferenceCodeUse {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => ID, { nullable: true, description: 'The order it was used on, if any.' })
  orderId!: string | null;
  @Shopper()
  @Field(() => Boolean, {
    description: "The customer's first use in the store: the one that referred them (once per store).",
  })
  referral!: boolean;
  @Internal(null)
  @Field(() => String, { nullable: true, description: 'The user id of the token that recorded it.' })
  usedBy!: string | null;
  @Shopper()
  @Field(() => Date)
  usedAt!: Date;
}

@ObjectType({ description: "A visit through a code's link, from a storefront (E8)." })
export class ReferenceCodeAccess {
  @Shopper()
  @Field(() => ID)
  id!: string;
  @Shopper()
  @Field(() => Date)
  accessedAt!: Date;
}

@InternalType()
@ObjectType({ description: "A day of a code's dashboard, in the store's time zone (E10)." })
export class ReferenceCodeDay {
  @Field(() => String, { description: 'YYYY-MM-DD.' }) date!: string;
  @Field(() => Int) accesses!: number;
  @Field(() => Int) uses!: number;
  @Field(() => Int, {
    description: 'Rewards (E9) granted that day, referee and referrer counted each, less those reversed since.',
  })
  rewards!: number;
}

@InternalType()
@ObjectType({ description: "E10: a code's figures over a range of days, in the store's time zone." })
export class ReferenceCodeDashboard {
  @Field(() => String, { description: 'The first day, YYYY-MM-DD.' }) from!: string;
  @Field(() => String, { description: 'The last day, YYYY-MM-DD (inclusive).' }) to!: string;
  @Field(() => String, { description: 'The IANA time zone the days are counted in.' }) timeZone!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) startsAt!: Date;
  @Field(() => Date, { nullable: true, description: 'The planned end.' }) endsAt!: Date | null;
  @Field(() => Int, { description: 'Uses over the range (Σ of the days).' }) usageCount!: number;
  @Field(() => Int, { description: 'Accesses over the range (Σ of the days).' }) accessCount!: number;
  @Field(() => Float, {
    nullable: true,
    description: 'usageCount / accessCount as a percentage (2 decimals); null without accesses.',
  })
  conversionRate!: number | null;
  @Field(() => Float, {
    nullable: true,
    description: "All the code's uses so far / its usage limit, as a percentage (2 decimals); null without a limit.",
  })
  limitUsage!: number | null;
  @Field(() => [ReferenceCodeDay], { description: 'One entry per day of the range, empty days included.' })
  days!: ReferenceCodeDay[];
}
