import { Arg, Ctx, ID, Mutation, Resolver, Authorized } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import type { CustomerContext } from '../context.ts';
import { Customer } from '../customers/customer.type.ts';

@Resolver(() => Customer)
export class ErasureResolver {
  @Authorized(StaffAction.CUSTOMERS_ERASE)
  @Mutation(() => Customer, {
    description:
      "C19, the right to be forgotten: removes or anonymises the customer's personal data in every subgraph and blocks the profile; " +
      'orders, payments, wallet and consent records stay, anonymised, under the same id. Erasing an erased customer returns it unchanged.',
  })
  eraseCustomer(@Arg('id', () => ID) id: string, @Ctx() ctx: CustomerContext) {
    return ctx.erasure.erase(id);
  }
}
