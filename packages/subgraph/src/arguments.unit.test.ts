import { buildSchema, graphql } from 'graphql';
import { describe, expect, it } from 'vitest';
import { cleanArguments, guardArguments, unsafeText } from './arguments.ts';

const ID = '0b6c3a52-6a4e-4f0e-9d55-4c1c2b1e7a10';

function schemaSeeing(seen: unknown[]) {
  const schema = buildSchema(`
    input NoteInput { customerId: ID!, text: String, tags: [String!], meta: JSON }
    scalar JSON
    type Query { echo(id: ID, name: String, ids: [ID!]): String, child: Child }
    type Child { field(after: String): String }
    type Mutation { note(input: NoteInput!): String }
  `);
  const record = (_source: unknown, args: unknown) => {
    seen.push(args);
    return 'ok';
  };
  schema.getQueryType()!.getFields().echo!.resolve = record;
  schema.getQueryType()!.getFields().child!.resolve = () => ({});
  schema.getMutationType()!.getFields().note!.resolve = record;
  guardArguments(schema);
  return schema;
}

describe('unsafeText', () => {
  it('refuses NUL and unpaired surrogates, keeps paired ones', () => {
    expect(unsafeText('Ayşe 🙂')).toBeUndefined();
    expect(unsafeText('a\u0000b')).toBe('must not contain NUL characters');
    expect(unsafeText('a\uD800')).toBe('must not contain unpaired surrogates');
    expect(unsafeText('\uDC00a')).toBe('must not contain unpaired surrogates');
    expect(unsafeText('\uDC00\uD800')).toBe('must not contain unpaired surrogates');
  });
});

describe('guardArguments', () => {
  it('refuses unsafe text in literals and variables, at the argument’s path, before the resolver', async () => {
    const seen: unknown[] = [];
    const schema = schemaSeeing(seen);
    const cases = [
      { source: '{ echo(name: "a\\u0000b") }', field: 'name' },
      { source: 'query ($n: String) { echo(name: $n) }', variables: { n: 'x\uD800' }, field: 'name' },
      { source: '{ child { field(after: "\\u0000") } }', field: 'after' },
      {
        source: 'mutation ($i: NoteInput!) { note(input: $i) }',
        variables: { i: { customerId: ID, tags: ['ok', 'b\u0000'] } },
        field: 'input.tags.1',
      },
      {
        source: 'mutation ($i: NoteInput!) { note(input: $i) }',
        variables: { i: { customerId: ID, meta: { deep: ['\uDFFF'] } } },
        field: 'input.meta.deep.0',
      },
    ];
    for (const { source, variables, field } of cases) {
      const result = await graphql({ schema, source, variableValues: variables });
      expect(
        result.errors?.map((error) => error.extensions),
        source,
      ).toEqual([{ code: 'BAD_USER_INPUT', fields: [{ field, message: expect.stringMatching(/^must not contain/) }] }]);
    }
    expect(seen).toEqual([]);
  });

  it('writes uuid ids in lower case, wherever they are, and leaves other text as it is', async () => {
    const seen: unknown[] = [];
    const schema = schemaSeeing(seen);
    const upper = ID.toUpperCase();
    await graphql({ schema, source: `{ echo(id: "${upper}", name: "${upper}", ids: ["${upper}", "Other"]) }` });
    await graphql({
      schema,
      source: 'mutation ($i: NoteInput!) { note(input: $i) }',
      variableValues: { i: { customerId: upper, text: 'Ayşe' } },
    });
    expect(seen).toEqual([{ id: ID, name: upper, ids: [ID, 'Other'] }, { input: { customerId: ID, text: 'Ayşe' } }]);
  });

  it('gives the same object back when nothing changes', () => {
    const args = { name: 'fine', id: ID };
    const schema = schemaSeeing([]);
    expect(cleanArguments(schema.getQueryType()!.getFields().echo!.args, args)).toBe(args);
  });
});
