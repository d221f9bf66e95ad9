import { GraphQLError } from 'graphql';
import { ErrorCode } from '@cg/http';

/** The same answer for an unknown email and a wrong password: sign-in tells no one who has an account. */
export function invalidCredentials(): GraphQLError {
  return new GraphQLError('The email or password is wrong', { extensions: { code: ErrorCode.INVALID_CREDENTIALS } });
}

export function tooManyAttempts(retryAfterSeconds: number): GraphQLError {
  return new GraphQLError(`Too many failed sign-ins; try again in ${retryAfterSeconds} seconds`, {
    extensions: { code: ErrorCode.TOO_MANY_ATTEMPTS, retryAfter: retryAfterSeconds },
  });
}

/** Only once the password was right: a wrong one gets invalidCredentials, whatever the status. */
export function blockedCustomer(): GraphQLError {
  return new GraphQLError('This customer account is blocked', { extensions: { code: ErrorCode.CUSTOMER_BLOCKED } });
}

/** Refused before anything is written: a profile made without the token it asked for would be stranded. */
export function signInElsewhere(): GraphQLError {
  return new GraphQLError(
    'Customers sign in with the identity provider: this graph verifies its tokens (AUTH_JWKS_URL) and issues none',
    { extensions: { code: ErrorCode.FORBIDDEN } },
  );
}
