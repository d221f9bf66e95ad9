import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import { StaffAction } from '@cg/auth';
import type { CommerceHistoryContext } from '../context.ts';
import { CustomerDataExport, type CustomerDataExportRef } from './customer-data-export.type.ts';

@Resolver(() => CustomerDataExport)
export class CustomerDataExportResolver {
  @Authorized(StaffAction.CUSTOMERS_EXPORT, StaffAction.PERSONAL_DATA_READ)
  @FieldResolver(() => GraphQLJSONObject, {
    nullable: true,
    description:
      "This subgraph's part, by section, each a list of rows: orders with their items, status changes, requests, feedback and campaigns, payments and their status changes, coupon redemptions.",
  })
  commerceHistory(@Root() document: CustomerDataExportRef, @Ctx() ctx: CommerceHistoryContext) {
    return ctx.personalData.of(document.id);
  }
}
