import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { StaffAction } from '@cg/auth';
import { Internal } from '@cg/subgraph';
import type { CustomerContext } from '../context.ts';
import { Customer } from '../customers/customer.type.ts';
import type { CustomerRow } from '../db/schema/index.ts';
import { CustomerDataExport, type CustomerDataExportRef } from './customer-data-export.type.ts';

/** Staff answering a data-subject request: the whole document is personal data, unmasked. */
const EXPORT_ACTIONS = [StaffAction.CUSTOMERS_EXPORT, StaffAction.PERSONAL_DATA_READ] as const;

@Resolver(() => Customer)
export class CustomerDataExportFieldResolver {
  @Internal(null)
  @Authorized(...EXPORT_ACTIONS)
  @FieldResolver(() => CustomerDataExport, {
    nullable: true,
    description: 'C19: everything the graph holds about this customer, for a data-subject request.',
  })
  dataExport(@Root() customer: CustomerRow): CustomerDataExportRef {
    return { id: customer.id, generatedAt: new Date() };
  }
}

@Resolver(() => CustomerDataExport)
export class CustomerDataExportResolver {
  @Authorized(...EXPORT_ACTIONS)
  @FieldResolver(() => GraphQLJSONObject, { nullable: true })
  customer(@Root() document: CustomerDataExportRef, @Ctx() ctx: CustomerContext) {
    return ctx.personalData.of(document.id);
  }
}
