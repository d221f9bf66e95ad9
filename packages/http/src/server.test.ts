import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGraphQLHttpServer, type RunningHttpServer } from './server.ts';

let server: RunningHttpServer;
const seen: string[] = [];

beforeAll(async () => {
  const apollo = new ApolloServer({
    typeDefs: 'type Query { echo(text: String!): String! }',
    resolvers: { Query: { echo: (_: unknown, { text }: { text: string }) => (seen.push(text), text) } },
  });
  server = await startGraphQLHttpServer({ apollo, context: async () => ({}) });
});
afterAll(() => server?.close());

const post = (body: Uint8Array | string) =>
  fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

describe('the request body', () => {
  it('is read as UTF-8, multi-byte characters included', async () => {
    const response = await post(JSON.stringify({ query: '{ echo(text: "Ayşe 🙂") }' }));
    expect(await response.json()).toEqual({ data: { echo: 'Ayşe 🙂' } });
  });

  it('is refused with 400 when it is not UTF-8, before Apollo sees it', async () => {
    const prefix = Buffer.from('{"query":"{ echo(text: \\"');
    const invalid = Buffer.alloc(600_000, 0xff);
    const suffix = Buffer.from('\\") }"}');
    const response = await post(Buffer.concat([prefix, invalid, suffix]));
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      errors: [{ message: 'The request body is not valid UTF-8', extensions: { code: 'BAD_REQUEST' } }],
    });
    expect(seen).toEqual(['Ayşe 🙂']);
  });
});
