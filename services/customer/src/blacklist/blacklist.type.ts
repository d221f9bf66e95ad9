import { Field, ID, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { Connection, InternalType, personal } from '@cg/subgraph';
import { BlacklistReason } from './blacklist.enum.ts';

export { BlacklistReason };

registerEnumType(BlacklistReason, {
  name: 'BlacklistReason',
  description: 'C14: why a contact is blacklisted.',
  valuesConfig: {
    FREQUENT_ORDER_REFUSAL: { description: 'Frequently refuses to accept orders.' },
    RETURN_ABUSE_OR_FRAUD: { description: 'Misuses returns or attempts fraud.' },
    INAPPROPRIATE_BEHAVIOUR: { description: 'Behaves inappropriately toward the customer service team.' },
    FAKE_ORDERS: { description: 'Creates fake orders.' },
    OTHER: { description: 'Another reason, told in the note.' },
  },
});

@InternalType()
@ObjectType({
  description:
    'C14: a contact the store refuses orders from: order intake refuses a guest order with this phone or email, and a ' +
    "registered customer's order whose profile has it. About the contact, not a profile: it survives the erasure of " +
    'a customer with that contact.',
})
export class BlacklistEntry {
  @Field(() => ID) id!: string;
  @UseMiddleware(personal('phone'))
  @Field(() => String, { nullable: true, description: 'E.164.' })
  phone!: string | null;
  @UseMiddleware(personal('email'))
  @Field(() => String, { nullable: true, description: 'Trimmed and lower-cased.' })
  email!: string | null;
  @Field(() => BlacklistReason) reason!: BlacklistReason;
  @Field(() => String, { nullable: true }) note!: string | null;
  @Field(() => String, { description: 'Staff user who added it.' }) createdBy!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => String, { description: 'Staff user who changed it last (who added it, until changed).' })
  updatedBy!: string;
  @Field(() => Date) updatedAt!: Date;
}

@ObjectType()
export class BlacklistEntryConnection extends Connection(BlacklistEntry) {}
