import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { PageArgs, Internal } from '@cg/subgraph';
import type { AuditEntryRow, CustomerRow } from '../db/schema/index.ts';
import type { CustomerContext } from '../context.ts';
import { Customer } from '../customers/customer.type.ts';
import { AuditEntry, AuditEntryConnection, AuditLogFilter } from './audit.type.ts';

@Resolver(() => AuditEntry)
export class AuditResolver {
  @Authorized(StaffAction.AUDIT_READ)
  @Query(() => AuditEntryConnection, {
    description: "X5: the store's audit log, newest first: every audited mutation of every subgraph. Staff only.",
  })
  auditLog(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => AuditLogFilter, { nullable: true }) filter: AuditLogFilter | null,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.audit.list({ ...page, filter });
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The customer the change concerns, if any.' })
  customer(@Root() entry: AuditEntryRow, @Ctx() ctx: CustomerContext) {
    return entry.customerId ? ctx.customers.load(entry.customerId) : null;
  }
}

@Resolver(() => Customer)
export class CustomerAuditResolver {
  @Authorized(StaffAction.AUDIT_READ)
  @Internal(null)
  @FieldResolver(() => AuditEntryConnection, {
    description: 'X5: the audited changes concerning this customer, newest first. Staff only.',
  })
  auditLog(@Root() customer: CustomerRow, @Args(() => PageArgs) page: PageArgs, @Ctx() ctx: CustomerContext) {
    return ctx.audit.forCustomer(customer.id, page);
  }
}
