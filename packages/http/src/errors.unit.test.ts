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
  it('gives the persisted-query errors Apollo raises without a code a client code', () => {
    const mismatch = new GraphQLError('provided sha does not match query');
    expect(
      formatError(true)({ message: mismatch.message, extensions: { code: 'INTERNAL_SERVER_ERROR' } }, mismatch),
    ).toEqual({
      message: 'extensions.persistedQuery.sha256Hash is not the SHA-256 hash of the query',
      extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' },
    });
    const version = new GraphQLError('Unsupported persisted query version');
    expect(formatError(false)({ message: version.message }, version).extensions).toEqual({ code: 'BAD_REQUEST' });
    // The same words from anywhere else, with a code of their own, are not taken for Apollo's.
    const other = new GraphQLError('provided sha does not match query', { extensions: { code: 'SOMETHING' } });
    expect(
      quiet(() => formatError(false)({ message: other.message, extensions: { code: 'SOMETHING' } }, other)).extensions,
    ).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
    });
  });

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

  it('still hides the words of a persisted-query refusal when the code throws them', () => {
    const thrown = new GraphQLError('provided sha does not match query', {
      path: ['echo'],
      originalError: new Error('provided sha does not match query'),
    });
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
