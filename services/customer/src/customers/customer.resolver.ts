import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { PageArgs, Caller, Shopper } from '@cg/subgraph';
import type { CustomerRow } from '../db/schema/index.ts';
import type { CustomerContext } from '../context.ts';
import { Store } from '../stores/store.type.ts';
import { BusinessDetails, Customer, VipCard } from './customer.type.ts';
import { CustomerConnection } from './customer.connection.ts';
import { CustomerTab } from './customer.tabs.ts';
import { CreateCustomerInput, CustomerFilter, CustomerSort, UpdateCustomerInput } from './customer.inputs.ts';

@Resolver(() => Customer)
export class CustomerResolver {
  @Authorized(StaffAction.CUSTOMERS_READ, Caller.CUSTOMER)
  @Query(() => Customer, { nullable: true })
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: CustomerContext) {
    return ctx.customers.get(id);
  }

  @Authorized(Caller.CUSTOMER)
  @Query(() => Customer, {
    nullable: true,
    description: 'The signed-in customer’s own profile (customer tokens only).',
  })
  me(@Ctx() ctx: CustomerContext) {
    return ctx.customers.get(ctx.principal.userId);
  }

  @Authorized(StaffAction.CUSTOMERS_READ)
  @Query(() => CustomerConnection, {
    description:
      "The store's customers: searchable, filterable, sorted, paged by cursor, optionally through a value tab.",
  })
  customers(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CustomerFilter, { nullable: true }) filter: CustomerFilter | null,
    @Arg('sort', () => CustomerSort, { nullable: true, description: "Replaces the tab's sort when given." })
    sort: CustomerSort | null,
    @Arg('tab', () => CustomerTab, {
      nullable: true,
      description: 'A value tab (C8): a saved sort and filter; default ALL.',
    })
    tab: CustomerTab | null,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.customerList.list({ ...page, filter, sort, tab });
  }

  @Authorized(StaffAction.CUSTOMERS_EDIT)
  @Mutation(() => Customer)
  createCustomer(@Arg('input', () => CreateCustomerInput) input: CreateCustomerInput, @Ctx() ctx: CustomerContext) {
    return ctx.customers.create(input);
  }

  @Authorized(StaffAction.CUSTOMERS_EDIT, Caller.CUSTOMER)
  @Mutation(() => Customer)
  updateCustomer(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateCustomerInput) input: UpdateCustomerInput,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.customers.update(id, input);
  }

  @Shopper()
  @FieldResolver(() => Store)
  store(@Root() customer: CustomerRow, @Ctx() ctx: CustomerContext) {
    return ctx.stores.load(customer.storeId);
  }

  @Shopper()
  @FieldResolver(() => String)
  fullName(@Root() customer: CustomerRow) {
    return `${customer.firstName} ${customer.lastName}`;
  }

  @Shopper()
  @FieldResolver(() => BusinessDetails, { nullable: true })
  business(@Root() customer: CustomerRow): BusinessDetails | null {
    if (!customer.isBusiness || !customer.companyName) return null;
    return { companyName: customer.companyName, taxOffice: customer.taxOffice, taxNumber: customer.taxNumber };
  }

  @Shopper()
  @FieldResolver(() => VipCard, { nullable: true })
  vipCard(@Root() customer: CustomerRow): VipCard | null {
    if (!customer.vipMemberNumber) return null;
    return { memberNumber: customer.vipMemberNumber, verificationCode: customer.vipVerificationCode };
  }
}
