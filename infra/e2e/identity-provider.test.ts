import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { signToken } from '@cg/auth';
import { startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

/**
 * The graph verifying tokens against an external identity provider: a local one whose key pair
 * the test makes, publishing its public key as a JWKS over HTTP.
 */
const ISSUER = 'https://id.test.example/';
const AUDIENCE = 'customer-graph-api';
const KID = 'test-key-1';

let jwks: Server;
let jwksUrl: string;
let publicJwk: Record<string, unknown>;
let privateKey: CryptoKey;
let graph: TestGraph;
let store: TestStore;

function idToken(
  claims: Record<string, unknown>,
  options: { issuer?: string; audience?: string; lifetime?: string; key?: CryptoKey } = {},
): Promise<string> {
  return new SignJWT({ kind: 'staff', store: store.id, ...claims })
    .setProtectedHeader({ alg: 'ES256', kid: KID })
    .setSubject(store.ownerId)
    .setIssuer(options.issuer ?? ISSUER)
    .setAudience(options.audience ?? AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(options.lifetime ?? '1h')
    .sign(options.key ?? privateKey);
}

const COUNT = '{ customers(first: 10) { totalCount } }';

beforeAll(async () => {
  const pair = await generateKeyPair('ES256');
  privateKey = pair.privateKey;
  publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'ES256', use: 'sig' };
  jwks = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  jwksUrl = `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/.well-known/jwks.json`;
  vi.stubEnv('AUTH_JWKS_URL', jwksUrl);
  vi.stubEnv('AUTH_ISSUER', ISSUER);
  vi.stubEnv('AUTH_AUDIENCE', AUDIENCE);
  vi.stubEnv('AUTH_MAX_TOKEN_LIFETIME', '1d');
  graph = await startTestGraph();
  store = await graph.createStore('Identity provider');
});
afterAll(async () => {
  await graph?.close();
  await new Promise((resolve) => jwks?.close(resolve));
  vi.unstubAllEnvs();
});

describe('tokens of an external identity provider', () => {
  it('are accepted when its JWKS verifies them, through the gateway and every subgraph it asks', async () => {
    const token = await idToken({});
    const created = await graph.request(
      `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`,
      { input: { firstName: 'Ida', lastName: 'Provider', email: 'ida@test.example' } },
      { token },
    );
    expect(created.errors).toBeUndefined();
    const response = await graph.request(
      `{ customers(first: 10) { totalCount edges { node { id orders(first: 10) { totalCount } wallet { balance { amount } } permissions(first: 10) { totalCount } } } } }`,
      undefined,
      { token },
    );
    expect(response.errors).toBeUndefined();
    expect(response.data.customers.totalCount).toBe(1);
    expect(response.data.customers.edges[0].node.orders.totalCount).toBe(0);
  });

  it('leave sign-in to the provider: registration and sign-in are refused, nothing is made', async () => {
    const guest = await idToken({ kind: 'guest' });
    const registered = await graph.request(
      `mutation($input: RegisterCustomerInput!) { registerCustomer(input: $input) { token } }`,
      { input: { firstName: 'Sol', lastName: 'Self', email: 'sol@test.example', password: 'long enough' } },
      { token: guest },
    );
    expect(registered.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(registered.errors?.[0]?.message).toContain('identity provider');
    const signedIn = await graph.request(
      `mutation { signIn(email: "sol@test.example", password: "long enough") { token } }`,
      undefined,
      { token: guest },
    );
    expect(signedIn.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [{ count }] = await graph.graph.subgraphs.customer.db.sql<[{ count: number }]>`
      select count(*)::int as count from customer.customers where email = 'sol@test.example'`;
    expect(count).toBe(0);
  });

  it('are refused with another issuer, another audience, too long a lifetime or another key', async () => {
    const other = await generateKeyPair('ES256');
    const cases: [string, Promise<string>][] = [
      ['issuer', idToken({}, { issuer: 'https://evil.example/' })],
      ['audience', idToken({}, { audience: 'another-api' })],
      ['lifetime', idToken({}, { lifetime: '2d' })],
      ['key', idToken({}, { key: other.privateKey })],
    ];
    for (const [what, token] of cases) {
      const response = await graph.request(COUNT, undefined, { token: await token });
      expect(response.status, what).toBe(401);
      expect(response.errors?.[0]?.extensions?.code, what).toBe('UNAUTHENTICATED');
      expect(response.data ?? null, what).toBeNull();
    }
  });

  it('replace the shared secret: a token signed with AUTH_SECRET is refused', async () => {
    const token = await signToken({ kind: 'staff', userId: store.ownerId, storeId: store.id });
    const response = await graph.request(COUNT, undefined, { token });
    expect(response.status).toBe(401);
  });

  it('are refused when signed with a shared secret, even one that names the provider', async () => {
    const token = await new SignJWT({ kind: 'staff', store: store.id })
      .setProtectedHeader({ alg: 'HS256', kid: KID })
      .setSubject(randomUUID())
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode(process.env.AUTH_SECRET));
    expect((await graph.request(COUNT, undefined, { token })).status).toBe(401);
  });

  it('answer 503 SERVICE_UNAVAILABLE, not 401, while its key set cannot be fetched, and pass once it can', async () => {
    // A provider that refuses connections, then answers 503, then is back.
    let state: 'refusing' | 'failing' | 'up' = 'refusing';
    const provider = createServer((_req, res) => {
      if (state === 'failing') {
        res.writeHead(503);
        res.end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [publicJwk] }));
    });
    await new Promise<void>((resolve) => provider.listen(0, '127.0.0.1', resolve));
    const port = (provider.address() as AddressInfo).port;
    await new Promise((resolve) => provider.close(resolve));
    vi.stubEnv('AUTH_JWKS_URL', `http://127.0.0.1:${port}/keys`);
    try {
      const token = await idToken({});
      for (const next of ['failing', 'up'] as const) {
        const response = await graph.request(COUNT, undefined, { token });
        expect(response.status, state).toBe(503);
        expect(response.errors?.[0]?.extensions?.code, state).toBe('SERVICE_UNAVAILABLE');
        expect(response.data ?? null, state).toBeNull();
        if (state === 'refusing') await new Promise<void>((resolve) => provider.listen(port, '127.0.0.1', resolve));
        state = next;
      }
      const response = await graph.request(COUNT, undefined, { token });
      expect(response.errors).toBeUndefined();
      expect(response.data.customers.totalCount).toBeGreaterThanOrEqual(0);
    } finally {
      vi.stubEnv('AUTH_JWKS_URL', jwksUrl);
      await new Promise((resolve) => provider.close(resolve));
    }
  });
});
