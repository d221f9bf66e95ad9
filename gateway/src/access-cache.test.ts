import { createServer, connect, type Server, type Socket } from 'node:net';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_HEADER } from '@cg/auth';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';
import { AccessCache } from './access-cache.ts';
import { startGateway, type RunningGateway } from './gateway.ts';

let graph: TestGraph;
let store: TestStore;
const others: RunningGateway[] = [];

const codes = (response: { errors?: { extensions?: Record<string, any> }[] }) =>
  (response.errors ?? []).map((error) => error.extensions?.code);

/** POSTs `query` as `token` to the gateway at `url`. */
async function call(url: string, token: string, query: string, storeId?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      ...(storeId ? { [STORE_HEADER]: storeId } : {}),
    },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: any; errors?: { extensions?: Record<string, any> }[] };
}

/**
 * Waits until `gateway` has heard every access change committed so far. Notifications reach a
 * listener in commit order, so once a marker sent now has arrived, so has the announcement of the
 * staff member or grant a test has just created; counted before it, that announcement would drop
 * the entry the first operation kept and cost a second lookup.
 */
async function caughtUp(gateway: RunningGateway) {
  const before = gateway.accessCache.announcementsHeard;
  await graph.graph.subgraphs.customer.db
    .sql`select pg_notify('access_changed', ${JSON.stringify({ storeId: `marker-${randomUUID()}` })})`;
  await eventually(async () => expect(gateway.accessCache.announcementsHeard).toBeGreaterThan(before));
}

/**
 * How many `/access` lookups `gateway` makes while `count` operations of `token` run one after
 * another, counted once the changes made before have been heard.
 */
async function lookupsOver(gateway: RunningGateway, token: string, count: number, storeId?: string) {
  if (gateway.accessCache.enabled) await caughtUp(gateway);
  const before = gateway.accessCache.lookups;
  for (let i = 0; i < count; i++) {
    const response = await call(gateway.url, token, `{ customers { totalCount } }`, storeId);
    expect(codes(response)).toEqual([]);
  }
  return gateway.accessCache.lookups - before;
}

/** Another gateway in front of the same subgraphs, as a second replica would be. */
async function anotherGateway(accessDatabaseUrl = graph.databaseUrl): Promise<RunningGateway> {
  const gateway = await startGateway({
    subgraphUrls: Object.fromEntries(Object.entries(graph.graph.subgraphs).map(([name, s]) => [name, s.url])),
    port: 0,
    liveUpdates: { databaseUrl: graph.databaseUrl },
    accessCache: { databaseUrl: accessDatabaseUrl },
  });
  others.push(gateway);
  return gateway;
}

/**
 * A TCP relay to PostgreSQL that can be cut (every connection through it dropped, new ones
 * refused) and restored, or hold back what the server sends (a connection that looks alive but
 * delivers nothing) and let it through again.
 */
async function cuttableRelay(target: URL): Promise<{
  url: string;
  cut(): Promise<void>;
  restore(): Promise<void>;
  holdBack(): void;
  letThrough(): void;
}> {
  const sockets = new Set<Socket>();
  const pairs: [client: Socket, upstream: Socket][] = [];
  let server: Server;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = createServer((client) => {
        const upstream = connect(Number(target.port || 5432), target.hostname);
        for (const socket of [client, upstream]) {
          sockets.add(socket);
          socket.on('close', () => sockets.delete(socket));
          socket.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        client.pipe(upstream).pipe(client);
        pairs.push([client, upstream]);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as { port: number }).port;
        resolve();
      });
    });
  await open();
  const url = new URL(target);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  return {
    url: url.toString(),
    async cut() {
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      });
    },
    restore: open,
    holdBack() {
      for (const [client, upstream] of pairs) {
        upstream.unpipe(client);
        upstream.pause();
      }
    },
    letThrough() {
      for (const [client, upstream] of pairs) upstream.pipe(client);
    },
  };
}

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Access cache store');
  await eventually(async () => expect(graph.graph.gateway.accessCache.enabled).toBe(true));
});
afterAll(async () => {
  for (const gateway of others) await gateway.close();
  await graph?.close();
});

describe('the access cache', () => {
  it('asks /access once for 20 operations of one staff member in one store', async () => {
    const token = await store.staff(`clerk-${randomUUID()}`, 'MANAGER');
    expect(await lookupsOver(graph.graph.gateway, token, 20)).toBe(1);
  });

  it('refuses the next request after a grant is revoked through the same gateway', async () => {
    const partner = await graph.createStore('Partner of the cache store');
    const LIST = `{ customers { totalCount } }`;
    await store.data(
      `mutation($u: ID!, $s: [ID!]!) { grantAccess(input: { userId: $u, storeIds: $s, actions: [CUSTOMERS_READ] }) { id } }`,
      { u: partner.ownerId, s: [store.id] },
    );
    expect(await lookupsOver(graph.graph.gateway, partner.token, 5, store.id)).toBe(1);
    await store.data(`mutation($u: ID!, $s: [ID!]!) { revokeAccess(input: { userId: $u, storeIds: $s }) { id } }`, {
      u: partner.ownerId,
      s: [store.id],
    });
    expect(codes(await call(graph.gatewayUrl, partner.token, LIST, store.id))).toContain('FORBIDDEN');
    // Refusals are not kept: each one is asked again.
    const before = graph.graph.gateway.accessCache.lookups;
    expect(codes(await call(graph.gatewayUrl, partner.token, LIST, store.id))).toContain('FORBIDDEN');
    expect(graph.graph.gateway.accessCache.lookups - before).toBe(1);
  });

  it("drops what another gateway's change makes stale once its notification arrives", async () => {
    const other = await anotherGateway();
    await eventually(async () => expect(other.accessCache.enabled).toBe(true));
    const userId = `moved-${randomUUID()}`;
    const token = await store.staff(userId, 'MANAGER');
    const ACCESS = `{ myAccess { role } }`;
    await caughtUp(other);
    expect((await call(other.url, token, ACCESS)).data.myAccess.role).toBe('MANAGER');
    expect(await lookupsOver(other, token, 5)).toBe(0);
    // Through the test graph's own gateway: the other one hears of it only from PostgreSQL.
    await store.data(`mutation($u: ID!) { setStaffMember(input: { userId: $u, role: VIEWER }) { role } }`, {
      u: userId,
    });
    // `myAccess` reads the role from the database, so VIEWER would show before the notification
    // arrived; once it has, the dropped entry costs one lookup, and the next operations none.
    await caughtUp(other);
    const before = other.accessCache.lookups;
    expect((await call(other.url, token, ACCESS)).data.myAccess.role).toBe('VIEWER');
    expect(other.accessCache.lookups - before).toBe(1);
    expect(await lookupsOver(other, token, 3)).toBe(0);
    // A store-wide change (a custom role's action set) drops every member's entry in that store.
    expect(await lookupsOver(other, token, 3)).toBe(0);
    await graph.graph.subgraphs.customer.db
      .sql`select pg_notify('access_changed', ${JSON.stringify({ storeId: store.id })})`;
    await eventually(async () => expect(other.accessCache.size).toBe(0));
    expect(await lookupsOver(other, token, 3)).toBe(1);
  });

  it("keeps an answer looked up while another store's access changed, not one whose own store changed", async () => {
    const cache = new AccessCache({ databaseUrl: graph.databaseUrl });
    try {
      await eventually(async () => expect(cache.enabled).toBe(true));
      const exp = Math.floor(Date.now() / 1000) + 3600;
      const assertion = ['e30', Buffer.from(JSON.stringify({ exp })).toString('base64url'), 'signature'].join('.');
      /** A lookup during which `storeId`'s access changes, announced through PostgreSQL and heard. */
      const lookupWhileChanging = (storeId: string) => async () => {
        const before = cache.announcementsHeard;
        await graph.graph.subgraphs.customer.db.sql`select pg_notify('access_changed', ${JSON.stringify({ storeId })})`;
        await eventually(async () => expect(cache.announcementsHeard).toBeGreaterThan(before));
        return assertion;
      };
      const here = randomUUID();
      await cache.assertion('token', 'user', here, lookupWhileChanging(randomUUID()));
      expect(cache.size).toBe(1);
      const lookups = cache.lookups;
      await cache.assertion('token', 'user', here, lookupWhileChanging(randomUUID()));
      expect(cache.lookups - lookups).toBe(0);

      const changedHere = randomUUID();
      await cache.assertion('token', 'user', changedHere, lookupWhileChanging(changedHere));
      expect(cache.size).toBe(1);
    } finally {
      await cache.close();
    }
  });

  it('refuses the next request after a revoke through it even before its notification arrives', async () => {
    const relay = await cuttableRelay(new URL(graph.databaseUrl));
    const gateway = await anotherGateway(relay.url);
    await eventually(async () => expect(gateway.accessCache.enabled).toBe(true));
    const partner = await graph.createStore('Partner held back');
    await store.data(
      `mutation($u: ID!, $s: [ID!]!) { grantAccess(input: { userId: $u, storeIds: $s, actions: [CUSTOMERS_READ] }) { id } }`,
      { u: partner.ownerId, s: [store.id] },
    );
    expect(await lookupsOver(gateway, partner.token, 3, store.id)).toBe(1);
    relay.holdBack();
    try {
      const revoke = await call(
        gateway.url,
        store.token,
        `mutation { revokeAccess(input: { userId: "${partner.ownerId}", storeIds: ["${store.id}"] }) { id } }`,
      );
      expect(codes(revoke)).toEqual([]);
      expect(gateway.accessCache.enabled).toBe(true);
      expect(codes(await call(gateway.url, partner.token, `{ customers { totalCount } }`, store.id))).toContain(
        'FORBIDDEN',
      );
    } finally {
      relay.letThrough();
    }
  });

  it('keeps nothing while its listening connection is down, and starts empty when it is back', async () => {
    const relay = await cuttableRelay(new URL(graph.databaseUrl));
    const gateway = await anotherGateway(relay.url);
    await eventually(async () => expect(gateway.accessCache.enabled).toBe(true));
    const token = await store.staff(`watched-${randomUUID()}`, 'MANAGER');
    expect(await lookupsOver(gateway, token, 20)).toBe(1);

    await relay.cut();
    await eventually(async () => expect(gateway.accessCache.enabled).toBe(false));
    expect(await lookupsOver(gateway, token, 20)).toBe(20);

    await relay.restore();
    await eventually(async () => expect(gateway.accessCache.enabled).toBe(true), 20_000);
    expect(await lookupsOver(gateway, token, 20)).toBe(1);
  });

  it("stays off when told to listen in a database other than the customer subgraph's", async () => {
    const elsewhere = new URL(graph.databaseUrl);
    elsewhere.pathname = '/postgres';
    const gateway = await anotherGateway(elsewhere.toString());
    const token = await store.staff(`elsewhere-${randomUUID()}`, 'MANAGER');
    // The start has had time to decide: the first operation waits for more than that.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    expect(gateway.accessCache.enabled).toBe(false);
    expect(await lookupsOver(gateway, token, 20)).toBe(20);
  });

  it('empties itself when its listening backend is terminated, then keeps again', async () => {
    const gateway = graph.graph.gateway;
    const token = await store.staff(`terminated-${randomUUID()}`, 'MANAGER');
    expect(await lookupsOver(gateway, token, 3)).toBe(1);
    expect(await lookupsOver(gateway, token, 3)).toBe(0);
    const killed = await graph.graph.subgraphs.customer.db.sql`
      select pg_terminate_backend(pid) as killed from pg_stat_activity
      where application_name = 'gateway-access-cache' and datname = current_database()`;
    expect(killed.length).toBeGreaterThan(0);
    // Emptied on reconnecting: what was announced meanwhile went unheard.
    await eventually(async () => expect(gateway.accessCache.size).toBe(0), 20_000);
    await eventually(async () => expect(gateway.accessCache.enabled).toBe(true), 20_000);
    expect(await lookupsOver(gateway, token, 20)).toBe(1);
  });
});
