import { Field, ID, InputType, ObjectType, registerEnumType, UseMiddleware } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Connection, personal } from '@cg/subgraph';
import { AuditActorKind } from './audit.enum.ts';

export { AuditActorKind };

registerEnumType(AuditActorKind, { name: 'AuditActorKind' });

@ObjectType({
  description: 'X5: one mutation in any subgraph: who made it, in which store, what it changed, when and from where.',
})
export class AuditEntry {
  @Field(() => ID) id!: string;
  @Field(() => String, {
    description: '`<entity>.<verb>`, e.g. `customer.update`, `order.status`, `wallet.adjust`, `permission.grant`.',
  })
  action!: string;
  @Field(() => String, {
    description: 'The subgraph that made the change: customer, commerce-history, engagement or consent.',
  })
  subgraph!: string;
  @Field(() => String, { description: 'What was changed, e.g. Customer, Address, Order, Wallet, PermissionRecord.' })
  entityType!: string;
  @Field(() => String) entityId!: string;
  @Field(() => AuditActorKind) actorKind!: AuditActorKind;
  @Field(() => String, { description: 'The staff user id, or the customer id of a customer token.' })
  actorId!: string;
  @UseMiddleware(personal('ip'))
  @Field(() => String, { nullable: true, description: 'The client address the request came from.' })
  ip!: string | null;
  @UseMiddleware(personal('json'))
  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'The changed fields before the change; null for a creation.',
  })
  before!: Record<string, unknown> | null;
  @UseMiddleware(personal('json'))
  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description: 'The changed fields after the change; null for a deletion.',
  })
  after!: Record<string, unknown> | null;
  @Field(() => Date) occurredAt!: Date;
}

@ObjectType()
export class AuditEntryConnection extends Connection(AuditEntry) {}

@InputType()
export class AuditLogFilter {
  @Field(() => ID, { nullable: true, description: 'Entries about this customer.' }) customerId?: string | null;
  @Field(() => String, { nullable: true, description: 'Entries by this staff user (or customer).' }) actorId?:
    string | null;
  @Field(() => String, { nullable: true, description: 'Entries of this action, e.g. `customer.update`.' }) action?:
    string | null;
  @Field(() => Date, { nullable: true, description: 'Entries at or after this instant.' }) from?: Date | null;
  @Field(() => Date, { nullable: true, description: 'Entries before this instant.' }) to?: Date | null;
}
