import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Resolver, Root, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { PageArgs, Caller, Shopper, notFound } from '@cg/subgraph';
import type { AddressRow, CustomerRow } from '../db/schema/index.ts';
import type { CustomerContext } from '../context.ts';
import { Customer } from '../customers/customer.type.ts';
import { Address, AddressConnection, AddressKind } from './address.type.ts';
import { AddAddressInput, UpdateAddressInput } from './address.inputs.ts';

@Resolver(() => Customer)
export class CustomerAddressesResolver {
  @Shopper()
  @FieldResolver(() => AddressConnection, { description: 'Oldest first; `isDefault` marks the default of each kind.' })
  addresses(
    @Root() customer: CustomerRow,
    @Args(() => PageArgs) page: PageArgs,
    @Arg('kind', () => AddressKind, { nullable: true }) kind: AddressKind | null,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.addresses.forCustomer(customer.id, { ...page, kind });
  }
}

@Resolver(() => Address)
export class AddressResolver {
  @Authorized(StaffAction.CUSTOMERS_EDIT, Caller.CUSTOMER)
  @Mutation(() => Address)
  addAddress(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('input', () => AddAddressInput) input: AddAddressInput,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.addresses.add(customerId, input);
  }

  @Authorized(StaffAction.CUSTOMERS_EDIT, Caller.CUSTOMER)
  @Mutation(() => Address)
  updateAddress(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UpdateAddressInput) input: UpdateAddressInput,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.addresses.update(id, input);
  }

  @Authorized(StaffAction.CUSTOMERS_EDIT, Caller.CUSTOMER)
  @Mutation(() => Address, { description: 'Returns the deleted address.' })
  deleteAddress(@Arg('id', () => ID) id: string, @Ctx() ctx: CustomerContext) {
    return ctx.addresses.delete(id);
  }

  // An address mutation changes its customer's list (and a new default unsets the old one): the
  // answer can carry the customer's `addresses` so that a client's cache needs no second request.
  @Shopper()
  @FieldResolver(() => Customer, {
    description: "The customer whose address it is; select their `addresses` in a mutation's answer to refresh them.",
  })
  async customer(@Root() address: AddressRow, @Ctx() ctx: CustomerContext) {
    const customer = await ctx.customers.load(address.customerId);
    if (!customer) throw notFound('Customer', address.customerId);
    return customer;
  }
}
