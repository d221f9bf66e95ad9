import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { ErrorCode } from '@cg/http';

export interface FieldError {
  /** Dotted path of the argument that failed, e.g. `input.email`. */
  field: string;
  message: string;
}

export function badUserInput(message: string, fields: FieldError[] = []): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.BAD_USER_INPUT, fields } });
}

export function invalidField(field: string, message: string): GraphQLError {
  return badUserInput(`Invalid ${field}: ${message}`, [{ field, message }]);
}

/** `httpStatus` only where the whole request is refused (before execution). */
export function forbidden(message = 'You are not allowed to do this', httpStatus?: number): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: ErrorCode.FORBIDDEN, ...(httpStatus ? { http: { status: httpStatus } } : {}) },
  });
}

export function notFound(what: string, id?: string): GraphQLError {
  return new GraphQLError(id ? `${what} ${id} was not found` : `${what} was not found`, {
    extensions: { code: ErrorCode.NOT_FOUND },
  });
}

export function conflict(message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.CONFLICT } });
}

/** C14: order intake refuses a blacklisted contact; `field` is the input that has it. */
export function customerBlacklisted(field: string): GraphQLError {
  return new GraphQLError('This contact is blacklisted in this store and cannot place orders', {
    extensions: { code: ErrorCode.CUSTOMER_BLACKLISTED, fields: [{ field, message: 'is blacklisted in this store' }] },
  });
}

const DATABASE_UNAVAILABLE = 'The database is unavailable; retry the request';

/**
 * A statement lost its connection (a restart, a failover): not the request's fault, and the same
 * request may succeed once the pool has reconnected. When it fails the whole request (its
 * transaction could not be opened) the answer is still HTTP 200 with the error in the body: the
 * gateway reads a subgraph's errors from its body, and turns any 5xx into INTERNAL_SERVER_ERROR.
 */
export function databaseUnavailable(): GraphQLError {
  return new GraphQLError(DATABASE_UNAVAILABLE, {
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retriable: true, http: { status: 200 } },
  });
}

/** The same, for a field whose resolver failed on it: its message (with SQL) is not kept. */
export function databaseUnavailableField(formatted: GraphQLFormattedError): GraphQLFormattedError {
  return {
    message: DATABASE_UNAVAILABLE,
    ...(formatted.locations ? { locations: formatted.locations } : {}),
    ...(formatted.path ? { path: formatted.path } : {}),
    extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, retriable: true },
  };
}
