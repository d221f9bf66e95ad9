import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { StaffAction } from '@cg/auth';
import { Caller } from '@cg/subgraph';
import type { CustomerContext } from '../context.ts';
import { Customer } from '../customers/customer.type.ts';
import { RegisterCustomerInput } from './account.inputs.ts';
import { CustomerSession } from './account.type.ts';

@Resolver(() => CustomerSession)
export class AccountResolver {
  @Authorized(Caller.GUEST)
  @Mutation(() => CustomerSession, {
    description:
      'C1: a storefront (guest token) registers a shopper, with a password or for sign-in by emailed code: ' +
      "createCustomer's checks, the earlier " +
      'guest orders linked, and a customer token to go on with (opt-ins: grantPermission with that token). ' +
      'An email or phone the store already has is CONFLICT.',
  })
  registerCustomer(
    @Arg('input', () => RegisterCustomerInput) input: RegisterCustomerInput,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.accounts.register(input);
  }

  @Authorized(Caller.GUEST)
  @Mutation(() => CustomerSession, {
    description:
      'C1: a customer token for the email and password. INVALID_CREDENTIALS for an unknown email and a wrong ' +
      'password alike; TOO_MANY_ATTEMPTS (`extensions.retryAfter`, seconds) after too many failures for the ' +
      'account or from the address; CUSTOMER_BLOCKED for a blocked customer.',
  })
  signIn(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.accounts.signIn(email, password);
  }

  @Authorized(Caller.GUEST)
  @Mutation(() => Boolean, {
    description:
      "C1, passwordless: emails a six-digit sign-in code (valid ten minutes) if the email is a customer's here. " +
      'Always true: the answer does not say whether the email has an account.',
  })
  requestSignInCode(@Arg('email', () => String) email: string, @Ctx() ctx: CustomerContext) {
    return ctx.accounts.requestCode(email);
  }

  @Authorized(Caller.GUEST)
  @Mutation(() => CustomerSession, {
    description:
      'C1, passwordless: a customer token for the email and its emailed code, once; errors and limits as signIn.',
  })
  signInWithCode(
    @Arg('email', () => String) email: string,
    @Arg('code', () => String) code: string,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.accounts.signInWithCode(email, code);
  }

  @Authorized(Caller.GUEST, Caller.CUSTOMER)
  @Mutation(() => Boolean, {
    description:
      "C5: sends a one-time reset link (valid one hour) to the email if it is a customer's here. Always true: " +
      'the answer does not say whether the email has an account.',
  })
  requestPasswordReset(@Arg('email', () => String) email: string, @Ctx() ctx: CustomerContext) {
    return ctx.accounts.requestReset(email);
  }

  @Authorized(Caller.GUEST, Caller.CUSTOMER)
  @Mutation(() => Boolean, {
    description:
      "C5: sets the password with a reset link's token, once and before it expires; BAD_USER_INPUT on `token` otherwise.",
  })
  resetPassword(
    @Arg('token', () => String) token: string,
    @Arg('newPassword', () => String) newPassword: string,
    @Ctx() ctx: CustomerContext,
  ) {
    return ctx.accounts.reset(token, newPassword);
  }

  @Authorized(StaffAction.CUSTOMERS_EDIT)
  @Mutation(() => Customer, {
    description: 'C5: staff send the customer a one-time password reset link, e.g. one who never had a password.',
  })
  sendPasswordReset(@Arg('customerId', () => ID) customerId: string, @Ctx() ctx: CustomerContext) {
    return ctx.accounts.sendReset(customerId);
  }
}
