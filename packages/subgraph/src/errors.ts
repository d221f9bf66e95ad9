import { GraphQLError } from 'graphql';

/** The codes every subgraph and the gateway answer with (ARCHITECTURE.md, "Requests"). */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

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

export function unauthenticated(message = 'A valid access token is required'): GraphQLError {
  return new GraphQLError(message, { extensions: { code: ErrorCode.UNAUTHENTICATED, http: { status: 401 } } });
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
