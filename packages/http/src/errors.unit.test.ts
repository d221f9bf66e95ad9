import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { formatError } from './errors.ts';

const quiet = <T>(run: () => T): T => {
  const original = console.error;
  console.error = () => {};
  try {
    return run();
  } finally {
    console.error = original;
  }
};

describe('formatError', () => {
  const sqlError = new Error('Failed query: insert into customer.notes (text) values ($1)\nparams: secret');
  const unexpected: GraphQLFormattedError = { message: sqlError.message, path: ['addNote'] };

  for (const production of [false, true]) {
    it(`gives an unexpected error a generic message (${production ? 'production' : 'development'})`, () => {
      expect(quiet(() => formatError(production)(unexpected, sqlError))).toEqual({
        message: 'Internal server error',
        path: ['addNote'],
        extensions: { code: 'INTERNAL_SERVER_ERROR' },
      });
    });
  }

  it("keeps Apollo Server's refusal of a persisted query hash that is not its query's, as BAD_REQUEST", () => {
    // As Apollo Server formats it: no code of its own, so INTERNAL_SERVER_ERROR by default.
    const mismatch = new GraphQLError('provided sha does not match query');
    const formatted = { message: mismatch.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } };
    for (const production of [false, true]) {
      expect(formatError(production)(formatted, mismatch)).toEqual({
        message: 'provided sha does not match query',
        extensions: { code: 'BAD_REQUEST' },
      });
    }
    // The same words from a fault in the code are still hidden.
    const thrown = new GraphQLError(mismatch.message, { path: ['echo'], originalError: new Error(mismatch.message) });
    expect(quiet(() => formatError(false)(thrown.toJSON(), thrown)).message).toBe('Internal server error');
  });

  it("logs a failed query's statement and the database's reason, never its parameters", () => {
    class FailedQuery extends Error {
      constructor(
        readonly query: string,
        readonly params: unknown[],
        cause: unknown,
      ) {
        super(`Failed query: ${query}\nparams: ${params.join(',')}`, { cause });
      }
    }
    const failed = new FailedQuery(
      'insert into customer.customers (email) values ($1)',
      ['ayse.secret@example.com'],
      Object.assign(new Error('duplicate key value violates unique constraint "customers_store_email_key"'), {
        code: '23505',
      }),
    );
    const error = new GraphQLError(failed.message, { path: ['createCustomer'], originalError: failed });
    const logged: unknown[][] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => logged.push(args);
    try {
      expect(formatError(false)(error.toJSON(), error).message).toBe('Internal server error');
    } finally {
      console.error = original;
    }
    const text = logged.map((args) => args.map(String).join(' ')).join('\n');
    expect(text).toContain('insert into customer.customers (email) values ($1)');
    expect(text).toContain('23505 duplicate key value violates unique constraint "customers_store_email_key"');
    expect(text).toContain('createCustomer');
    expect(text).not.toContain('ayse.secret');
  });

  it('keeps the errors raised on purpose as they are', () => {
    const notFound = new GraphQLError('Customer x was not found', { extensions: { code: 'NOT_FOUND' } }).toJSON();
    expect(formatError(true)(notFound, undefined)).toEqual(notFound);
  });

  it('cuts "Did you mean …?" from every message in production only', () => {
    const validation: GraphQLFormattedError = {
      message: 'Cannot query field "custmer" on type "Query". Did you mean "customer" or "customers"?',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    };
    expect(formatError(true)(validation, undefined).message).toBe('Cannot query field "custmer" on type "Query".');
    expect(formatError(false)(validation, undefined)).toEqual(validation);

    const coercion: GraphQLFormattedError = {
      message:
        'Variable "$input" got invalid value { nme: "x" }; Field "nme" is not defined by type "NoteInput". Did you mean "name"?',
      extensions: { code: 'BAD_USER_INPUT' },
    };
    const formatted = formatError(true)(coercion, undefined);
    expect(JSON.stringify(formatted)).not.toContain('Did you mean');
    expect(formatted.extensions?.fields).toEqual([
      { field: 'input', message: 'Field "nme" is not defined by type "NoteInput".' },
    ]);
  });
});
