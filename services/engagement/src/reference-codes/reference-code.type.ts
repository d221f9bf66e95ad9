import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, Internal, InternalType, Shopper } from '@cg/subgraph';
import { ReferenceCodeAction, ReferenceCodeStatus, ReferenceCodeType } from './reference-code.enum.ts';

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
  @Field(() => Int, { description: 'Uses that referred their customer (the rewarded ones: one per referee).' })
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
