import { ApolloServerErrorCode } from '@apollo/server/errors';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';

/** The codes every subgraph and the gateway answer with (ARCHITECTURE.md, "Requests"). */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  /** C14: order intake for a customer whose status is blocked; accepted again once unblocked. */
  CUSTOMER_BLOCKED: 'CUSTOMER_BLOCKED',
  /**
   * C14: order intake for a contact (a guest's phone or email, or a customer's) on the store's
   * blacklist; accepted again once the entry is removed. `fields` names the input field.
   */
  CUSTOMER_BLACKLISTED: 'CUSTOMER_BLACKLISTED',
  /** C1: sign-in with an email and password that do not match, the same whether the email is known or not. */
  INVALID_CREDENTIALS: 'INVALID_CREDENTIALS',
  /** C1: too many failed sign-ins for the account or from the address; `retryAfter` says in how many seconds. */
  TOO_MANY_ATTEMPTS: 'TOO_MANY_ATTEMPTS',
  /** C18: a marketing message on a channel the customer has not granted in this store. */
  CONSENT_REQUIRED: 'CONSENT_REQUIRED',
  /**
   * A dependency is away (a subgraph or the access lookup that did not answer in time or could not
   * be reached, a lost database connection): the same request may succeed later.
   */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  /** An automatic persisted query whose `sha256Hash` is not the hash of the query sent with it. */
  PERSISTED_QUERY_HASH_MISMATCH: 'PERSISTED_QUERY_HASH_MISMATCH',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A missing, expired or forged token: the whole request is refused with 401. */
export function unauthenticated(message = 'A valid access token is required'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
}

/**
 * The identity provider's keys could not be fetched, so no token can be checked: retriable, and
 * not the caller's fault (a 401 would send a client to sign in again for nothing).
 */
export function identityProviderUnavailable(): GraphQLError {
  return new GraphQLError('Tokens cannot be checked: the identity provider’s keys could not be fetched', {
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, service: 'identity-provider', http: { status: 503 } },
  });
}

const KNOWN_CODES = new Set<string>([
  ErrorCode.BAD_USER_INPUT,
  ErrorCode.UNAUTHENTICATED,
  ErrorCode.FORBIDDEN,
  ErrorCode.NOT_FOUND,
  ErrorCode.CONFLICT,
  ErrorCode.CUSTOMER_BLOCKED,
  ErrorCode.CUSTOMER_BLACKLISTED,
  ErrorCode.INVALID_CREDENTIALS,
  ErrorCode.TOO_MANY_ATTEMPTS,
  ErrorCode.CONSENT_REQUIRED,
  ErrorCode.SERVICE_UNAVAILABLE,
  ApolloServerErrorCode.GRAPHQL_PARSE_FAILED,
  // Also the gateway's request limits, with `reason`, `limit` and `actual` kept as they are.
  ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED,
  ApolloServerErrorCode.BAD_REQUEST,
  ApolloServerErrorCode.PERSISTED_QUERY_NOT_FOUND,
  ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
  ErrorCode.PERSISTED_QUERY_HASH_MISMATCH,
]);

/**
 * Client errors Apollo Server raises without a code (its automatic persisted queries), by their
 * message: uncoded, they would be masked as internal errors although the client can fix them.
 */
const UNCODED_APOLLO_ERRORS: Record<string, { code: string; message: string }> = {
  'provided sha does not match query': {
    code: ErrorCode.PERSISTED_QUERY_HASH_MISMATCH,
    message: 'extensions.persistedQuery.sha256Hash is not the SHA-256 hash of the query',
  },
  'Unsupported persisted query version': {
    code: ApolloServerErrorCode.BAD_REQUEST,
    message: 'Unsupported persisted query version: only version 1 is supported',
  },
};

/**
 * Errors the code raised on purpose pass through; anything else becomes INTERNAL_SERVER_ERROR with
 * a generic message in every mode, since it may hold SQL, parameters or personal data: the original
 * goes to the server's log only. In production, "Did you mean …?" suggestions are cut from every
 * message, as they would spell out the schema that introspection hides.
 */
export function formatError(production: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const uncoded =
      // Without an original error: the same words thrown by the code are a fault, still hidden.
      error instanceof GraphQLError && error.extensions.code === undefined && !error.originalError
        ? UNCODED_APOLLO_ERRORS[error.message]
        : undefined;
    if (uncoded) return { message: uncoded.message, extensions: { code: uncoded.code } };
    const code = formatted.extensions?.code;
    if (code === ErrorCode.BAD_USER_INPUT && !formatted.extensions?.fields) {
      return withoutSuggestions(withCoercionField(formatted), production);
    }
    if (typeof code === 'string' && KNOWN_CODES.has(code)) return withoutSuggestions(formatted, production);
    if (error) logUnexpected(error);
    return {
      message: 'Internal server error',
      ...(formatted.locations ? { locations: formatted.locations } : {}),
      ...(formatted.path ? { path: formatted.path } : {}),
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/**
 * A failed query's message (drizzle's) spells out its parameters, which hold personal data
 * (emails, phones, IPs): the log gets the statement, the database's code and message, and where
 * it failed, never the values.
 */
function logUnexpected(error: unknown): void {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  if (!isFailedQuery(original)) {
    console.error(error);
    return;
  }
  const cause = original.cause as { code?: unknown; message?: unknown } | undefined;
  const reason = [cause?.code, cause?.message].filter((part) => typeof part === 'string').join(' ');
  const frames = original.stack?.slice(original.stack.indexOf('\n    at ')) ?? '';
  const path = error instanceof GraphQLError && error.path ? ` at ${error.path.join('.')}` : '';
  console.error(`Failed query${path}: ${original.query}\n${reason}${frames}`);
}

function isFailedQuery(error: unknown): error is Error & { query: string; params: unknown } {
  return error instanceof Error && typeof (error as { query?: unknown }).query === 'string' && 'params' in error;
}

const SUGGESTION = / ?Did you mean [^?]*\?/g;

function withoutSuggestions(formatted: GraphQLFormattedError, production: boolean): GraphQLFormattedError {
  if (!production || !JSON.stringify(formatted).includes('Did you mean')) return formatted;
  const strip = (text: string) => text.replace(SUGGESTION, '');
  const fields = formatted.extensions?.fields;
  return {
    ...formatted,
    message: strip(formatted.message),
    ...(formatted.extensions
      ? {
          extensions: {
            ...formatted.extensions,
            ...(Array.isArray(fields)
              ? {
                  fields: fields.map((field: { field: string; message: string }) => ({
                    ...field,
                    message: strip(field.message),
                  })),
                }
              : {}),
          },
        }
      : {}),
  };
}

export const isProduction = (env: NodeJS.ProcessEnv = process.env) => env.NODE_ENV === 'production';

/**
 * graphql-js rejects a variable of the wrong type before any resolver runs; its message names the
 * path (`Variable "$input" got invalid value 1.5 at "input.amount"; ...`). Clients get that path
 * in `fields` as for every other bad input.
 */
function withCoercionField(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const match = /^Variable "\$([^"]+)" got invalid value .*?(?: at "([^"]+)")?;/s.exec(formatted.message);
  if (!match) return formatted;
  const field = match[2] ?? match[1]!;
  const reason = formatted.message.slice(match[0].length).trim() || 'is invalid';
  return { ...formatted, extensions: { ...formatted.extensions, fields: [{ field, message: reason }] } };
}
