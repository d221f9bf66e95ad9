import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import type { CustomerContext } from '../context.ts';
import { Customer } from '../customers/customer.type.ts';

// A deletion ends in the customer's erasure unless someone restores it in time, so deleting and
// restoring take the action erasure takes (CUSTOMERS_ERASE), not the everyday CUSTOMERS_EDIT.
@Resolver(() => Customer)
export class DeletionResolver {
  @Authorized(StaffAction.CUSTOMERS_ERASE)
  @Mutation(() => Customer, {
    description:
      'C5, soft delete: the profile leaves the lists, searches, segments and counts, its email and phone are free for ' +
      "a new registration, and orders for it are refused; it can be restored until `restorableUntil` (the store's " +
      '`deletedCustomerRetentionDays` from now), then it is erased as by `eraseCustomer`. ' +
      'CONFLICT when it is already deleted or erased.',
  })
  deleteCustomer(@Arg('id', () => ID) id: string, @Ctx() ctx: CustomerContext) {
    return ctx.deletion.delete(id);
  }

  @Authorized(StaffAction.CUSTOMERS_ERASE)
  @Mutation(() => Customer, {
    description:
      'C5: brings a deleted profile back as it was. CONFLICT when it is not deleted, erased, past its `restorableUntil`, ' +
      'or when another customer has registered its email or phone since (`extensions.fields` names which).',
  })
  restoreCustomer(@Arg('id', () => ID) id: string, @Ctx() ctx: CustomerContext) {
    return ctx.deletion.restore(id);
  }
}
