import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GATEWAY_HEADER, signToken } from '@cg/auth';
import { startGateway, type RunningGateway } from '@cg/gateway';
import { gatewayHeaders, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const FORGED_IP = '6.6.6.6';

let graph: TestGraph;
let store: TestStore;
let customerId: string;
let tokens: Record<'staff' | 'customer' | 'guest', string>;
/** A second gateway in front of the same subgraphs, behind one proxy it trusts. */
let proxied: RunningGateway;
let proxy: Server;
let proxyUrl: string;

interface Answer {
  status: number;
  body: { data?: any; errors?: { message: string; extensions?: { code?: string } }[] };
}

/** POSTs a GraphQL body over a socket bound to `localAddress`: the client's address as a server sees it. */
function post(
  url: string,
  body: unknown,
  headers: Record<string, string>,
  localAddress = '127.0.0.1',
): Promise<Answer> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        localAddress,
        headers: { 'content-type': 'application/json', ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) as Answer['body'] }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

/** A reverse proxy as a load balancer runs one: it appends the address it was reached from. */
function startProxy(targetUrl: string): Promise<Server> {
  const target = new URL(targetUrl);
  const server = createServer((req, res) => {
    const forwarded = [req.headers['x-forwarded-for'], req.socket.remoteAddress].filter(Boolean).join(', ');
    const headers: IncomingHttpHeaders = { ...req.headers, 'x-forwarded-for': forwarded, host: target.host };
    const upstream = httpRequest(
      { host: target.hostname, port: target.port, path: req.url, method: req.method, headers },
      (answer) => {
        res.writeHead(answer.statusCode!, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.writeHead(502).end());
    req.pipe(upstream);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const GRANT = `mutation($input: PermissionChangeInput!) { grantPermission(input: $input) { id } }`;

/** The address stored with a consent record: the store's legal proof of where it was given. */
async function recordedIp(recordId: string): Promise<string | null> {
  const [row] = await graph.graph.subgraphs.consent!.db.sql`
    select host(ip) as ip from consent.permission_records where id = ${recordId}`;
  return (row?.ip as string | null | undefined) ?? null;
}

async function permissionRecordCount(): Promise<number> {
  const [row] = await graph.graph.subgraphs.consent!.db.sql`
    select count(*)::int as count from consent.permission_records where customer_id = ${customerId}`;
  return row!.count as number;
}

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Gateway only');
  customerId = (await store.createCustomer()).id;
  tokens = {
    staff: store.token,
    customer: await signToken({ kind: 'customer', userId: customerId, storeId: store.id }),
    guest: await signToken({ kind: 'guest', userId: randomUUID(), storeId: store.id }),
  };
  proxied = await startGateway({
    subgraphUrls: Object.fromEntries(Object.entries(graph.graph.subgraphs).map(([name, s]) => [name, s.url])),
    trustedProxyHops: 1,
  });
  proxy = await startProxy(proxied.url);
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}/graphql`;
});
afterAll(async () => {
  await new Promise((resolve) => proxy?.close(resolve));
  await proxied?.close();
  await graph?.close();
});

describe('subgraphs serve only the gateway', () => {
  it('listen on loopback', () => {
    for (const subgraph of Object.values(graph.graph.subgraphs))
      expect(new URL(subgraph.url).hostname).toBe('127.0.0.1');
  });

  it('refuse a direct request with any kind of token and a forged x-forwarded-for, _service included', async () => {
    for (const [kind, token] of Object.entries(tokens)) {
      // Everything the gateway would send but its own assertion: the staff access assertion too.
      const { [GATEWAY_HEADER]: _dropped, ...headers } = await graph.subgraphHeaders(token);
      for (const [name, subgraph] of Object.entries(graph.graph.subgraphs)) {
        for (const query of ['{ _service { sdl } }', '{ __typename }']) {
          const answer = await post(subgraph.url, { query }, { ...headers, 'x-forwarded-for': FORGED_IP });
          expect(answer.status, `${kind} → ${name}: ${query}`).toBe(403);
          expect(answer.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
          expect(answer.body.data ?? null).toBeNull();
        }
      }
    }
  });

  it('refuse a gateway assertion made for another token', async () => {
    const guestHeaders = await graph.subgraphHeaders(tokens.guest);
    const customerHeaders = await graph.subgraphHeaders(tokens.customer);
    const answer = await post(
      graph.graph.subgraphs.consent!.url,
      { query: GRANT, variables: { input: { customerId, channel: 'SMS', source: 'REGISTRATION' } } },
      { ...customerHeaders, [GATEWAY_HEADER]: guestHeaders[GATEWAY_HEADER]! },
    );
    expect(answer.status).toBe(403);
    expect(answer.body.errors?.[0]?.message).toBe('The gateway assertion is for another token');
  });

  it('write nothing for a direct write, and answer /access only to the gateway', async () => {
    const before = await permissionRecordCount();
    const answer = await post(
      graph.graph.subgraphs.consent!.url,
      { query: GRANT, variables: { input: { customerId, channel: 'EMAIL', source: 'REGISTRATION' } } },
      { authorization: `Bearer ${tokens.customer}`, 'x-forwarded-for': FORGED_IP },
    );
    expect(answer.status).toBe(403);
    expect(await permissionRecordCount()).toBe(before);
    const access = await fetch(new URL('/access', graph.graph.subgraphs.customer!.url), {
      headers: { authorization: `Bearer ${tokens.staff}` },
    });
    expect(access.status).toBe(403);
  });

  it('still answer /health to anyone (orchestrators probe it)', async () => {
    expect((await fetch(new URL('/health', graph.graph.subgraphs.consent!.url))).status).toBe(200);
  });
});

describe("the client's address of a consent given through the gateway", () => {
  const grant = async (url: string, headers: Record<string, string>, from: string): Promise<string | null> => {
    const channel = ['EMAIL', 'SMS', 'PUSH', 'PHONE'][Math.floor(Math.random() * 4)];
    const answer = await post(
      url,
      { query: GRANT, variables: { input: { customerId, channel, source: 'REGISTRATION' } } },
      { authorization: `Bearer ${tokens.customer}`, ...headers },
      from,
    );
    expect(answer.body.errors).toBeUndefined();
    return recordedIp(answer.body.data.grantPermission.id as string);
  };

  it('is the socket’s, whatever x-forwarded-for the client sends, with no trusted proxy', async () => {
    expect(await grant(graph.gatewayUrl, {}, '127.0.0.5')).toBe('127.0.0.5');
    expect(await grant(graph.gatewayUrl, { 'x-forwarded-for': FORGED_IP }, '127.0.0.5')).toBe('127.0.0.5');
  });

  it('is the one the trusted proxy saw, through one hop, and a forged extra hop is not taken', async () => {
    expect(await grant(proxyUrl, {}, '127.0.0.7')).toBe('127.0.0.7');
    expect(await grant(proxyUrl, { 'x-forwarded-for': FORGED_IP }, '127.0.0.7')).toBe('127.0.0.7');
    expect(await grant(proxyUrl, { 'x-forwarded-for': `${FORGED_IP}, 10.9.9.9` }, '127.0.0.7')).toBe('127.0.0.7');
  });

  it('cannot be chosen by a customer; staff give it only for imported records', async () => {
    const before = await permissionRecordCount();
    const answer = await post(
      graph.gatewayUrl,
      { query: GRANT, variables: { input: { customerId, channel: 'EMAIL', source: 'REGISTRATION', ip: FORGED_IP } } },
      { authorization: `Bearer ${tokens.customer}` },
    );
    expect(answer.body.errors?.[0]?.extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      fields: [{ field: 'input.ip' }],
    });
    expect(await permissionRecordCount()).toBe(before);
    const imported = await store.data(GRANT, {
      input: { customerId, channel: 'EMAIL', source: 'IMPORT', ip: '203.0.113.44' },
    });
    expect(await recordedIp(imported.grantPermission.id as string)).toBe('203.0.113.44');
  });
});

describe('keys', () => {
  it('refuse a token signed with the development string once committed, at the gateway and at a subgraph', async () => {
    // Published in this repository's history: anyone may hold it, so it must open nothing.
    const leaked = new TextEncoder().encode('customer-graph-development-secret-do-not-use-in-production');
    const token = await new SignJWT({ kind: 'staff', store: store.id, platform: true })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(randomUUID())
      .setIssuer('customer-graph')
      .setAudience('customer-graph')
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(leaked);
    const response = await graph.request('{ customers(first: 10) { totalCount } }', undefined, { token });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    const direct = await post(
      graph.graph.subgraphs.customer!.url,
      { query: '{ __typename }' },
      await gatewayHeaders(token),
    );
    expect(direct.status).toBe(401);
    expect(direct.body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuse a token that lives longer than AUTH_MAX_TOKEN_LIFETIME', async () => {
    const token = await new SignJWT({ kind: 'staff', store: store.id })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(store.ownerId)
      .setIssuer('customer-graph')
      .setAudience('customer-graph')
      .setIssuedAt()
      .setExpirationTime('100y')
      .sign(new TextEncoder().encode(process.env.AUTH_SECRET));
    const response = await graph.request('{ customers(first: 10) { totalCount } }', undefined, { token });
    expect(response.status).toBe(401);
    expect(response.errors?.[0]?.message).toBe('Token lives longer than tokens may');
  });

  /** Runs a process with the test's environment minus `without`; its exit code and what it printed. */
  const run = (script: string, without: string[]) =>
    new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: graph.databaseUrl, PORT: '0' };
      for (const name of without) delete env[name];
      const child = spawn(`${ROOT}/node_modules/.bin/tsx`, [script], { cwd: ROOT, env });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      child.on('error', reject);
      child.on('exit', (code) => {
        clearTimeout(timer);
        resolve({ code, output });
      });
    });

  it('are checked by every process at start: without them it refuses to start and says which', async () => {
    const subgraph = await run('services/consent/src/main.ts', ['AUTH_SECRET', 'ASSERTION_SECRET']);
    expect(subgraph.code).toBe(1);
    expect(subgraph.output).toContain('The consent subgraph cannot start');
    expect(subgraph.output).toContain('AUTH_SECRET is not set');
    expect(subgraph.output).toContain('ASSERTION_SECRET is not set');
    expect(subgraph.output).not.toContain('subgraph at http');
    const gateway = await run('gateway/src/main.ts', ['ASSERTION_SECRET']);
    expect(gateway.code).toBe(1);
    expect(gateway.output).toContain('The gateway cannot start');
    expect(gateway.output).toContain('ASSERTION_SECRET is not set');
    expect(gateway.output).not.toContain('gateway at http');
  });

  it('keep the subgraphs that hash contacts (C14) from starting without CONTACT_HASH_SECRET', async () => {
    const subgraph = await run('services/commerce-history/src/main.ts', ['CONTACT_HASH_SECRET']);
    expect(subgraph.code).toBe(1);
    expect(subgraph.output).toContain('The commerce-history subgraph cannot start');
    expect(subgraph.output).toContain('CONTACT_HASH_SECRET is not set');
    expect(subgraph.output).not.toContain('subgraph at http');
  });
});
