import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import {
  ACCESS_HEADER,
  GATEWAY_HEADER,
  STORE_HEADER,
  signGatewayAssertion,
  signToken,
  verifyToken,
  type Principal,
  type StaffAction,
} from '@cg/auth';
import { dropDatabase, ensureDatabase, withDatabase, type Database } from '@cg/db';
import { startGraph, subgraphs, type GraphOptions, type RunningGraph } from '@cg/graph';
import { createStore } from '@cg/customer';
import { EVENT_ROUTES, type EventType, type SubgraphName } from '@cg/events';
import type { ExplorerOptions } from '@cg/gateway';
import { storeData, type StoreData } from './store-data.ts';

/** Every subgraph, each a producer and perhaps a consumer of events. */
const SUBGRAPH_NAMES = subgraphs.map((definition) => definition.name) as SubgraphName[];

export interface GraphQLResponse<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, any> }[];
}

export interface RequestOptions {
  token?: string | null;
  headers?: Record<string, string>;
}

/** A built-in role, or a custom action set made for the occasion. */
export type TestRole = 'OWNER' | 'MANAGER' | 'VIEWER' | { actions: StaffAction[] };

/** A store of the test graph, its owner's token, and the data its tests make (see store-data.ts). */
export interface TestStore extends StoreData {
  id: string;
  name: string;
  /** ISO 4217 code of the store's currency, the default of its orders. */
  currency: string;
  /** A staff token of the store's owner. */
  token: string;
  ownerId: string;
  /**
   * Makes `userId` a staff member with `role` through the API (setStaffMember, createStaffRole as
   * the owner) and returns a staff token for them in this store.
   */
  staff(userId: string, role: TestRole): Promise<string>;
  /** POSTs through the gateway with this store's token; returns the whole response. */
  request<T = any>(query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Like `request`, but returns `data` and throws when the response has errors. */
  data<T = any>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

export interface TestGraph {
  graph: RunningGraph;
  gatewayUrl: string;
  databaseUrl: string;
  request<T = any>(
    query: string,
    variables?: Record<string, unknown>,
    options?: RequestOptions,
  ): Promise<GraphQLResponse<T>>;
  createStore(
    name?: string,
    options?: { currency?: string; timeZone?: string; principal?: Partial<Principal> },
  ): Promise<TestStore>;
  /**
   * Headers for calling a subgraph directly, as the gateway would: the token, the gateway's
   * assertion (client address `ip`, if given) and the access assertion the customer subgraph's
   * `/access` gives a staff token (in `storeId`, if given).
   */
  subgraphHeaders(token: string, storeId?: string, options?: { ip?: string }): Promise<Record<string, string>>;
  /**
   * Events recorded so far that some consumer has not applied yet, over every producer's outbox.
   * Zero means live delivery has caught up: `eventually(async () => expect(await graph.undelivered()).toBe(0))`.
   */
  undelivered(): Promise<number>;
  /** Runs `work` and returns how many SQL statements each subgraph sent meanwhile. */
  countStatements(work: () => Promise<unknown>): Promise<Record<string, number>>;
  close(): Promise<void>;
}

/**
 * Polls `check` until it stops throwing (events arrive asynchronously), failing after `timeoutMs`
 * with the last error.
 */
export async function eventually<T>(check: () => Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * What the gateway adds to each request it sends a subgraph: the token and its assertion (signed
 * with the tests' ASSERTION_SECRET) that the request comes through it, from `ip` if given. For
 * tests that call a subgraph or its `/access` directly, as the gateway does.
 */
export async function gatewayHeaders(token: string, ip?: string): Promise<Record<string, string>> {
  return {
    authorization: `Bearer ${token}`,
    [GATEWAY_HEADER]: await signGatewayAssertion(token, ip ? { ip } : {}),
  };
}

/**
 * The real graph for a test file: a fresh database on the run's PostgreSQL server, the four
 * subgraphs migrated and listening on ephemeral ports, and the gateway in front of them.
 */
export async function startTestGraph(
  options: { explorer?: ExplorerOptions; limits?: GraphOptions['limits']; cors?: GraphOptions['cors'] } = {},
): Promise<TestGraph> {
  const adminUrl = inject('adminDatabaseUrl');
  const database = `cg_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await ensureDatabase(adminUrl, database);
  const databaseUrl = withDatabase(adminUrl, database);
  const graph = await startGraph({
    databaseUrl,
    explorer: options.explorer,
    limits: options.limits,
    cors: options.cors,
  });
  const gatewayUrl = graph.gateway.url;

  const request = gatewayRequest(gatewayUrl);

  return {
    graph,
    gatewayUrl,
    databaseUrl,
    request,
    async createStore(name = `Store ${randomUUID().slice(0, 8)}`, options = {}) {
      // The token's user is the store's first owner, as platform administration would set it up.
      const userId = options.principal?.userId ?? randomUUID();
      const currency = options.currency ?? 'EUR';
      const row = await createStore(graph.subgraphs.customer.db.orm, {
        name,
        currency,
        timeZone: options.timeZone,
        ownerUserId: userId,
      });
      const token = await signToken({ kind: 'staff', userId, storeId: row.id, ...options.principal });
      return testStore({ id: row.id, name, currency, token, ownerId: userId }, request);
    },
    async subgraphHeaders(token, storeId, options = {}) {
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        ...(await gatewayHeaders(token, options.ip)),
      };
      const principal = await verifyToken(token);
      if (principal.kind !== 'staff') return headers;
      const response = await fetch(new URL('/access', graph.subgraphs.customer.url), {
        headers: { ...(await gatewayHeaders(token)), ...(storeId ? { [STORE_HEADER]: storeId } : {}) },
      });
      const body = (await response.json()) as { assertion?: string };
      if (!body.assertion) throw new Error(`No access: ${JSON.stringify(body)}`);
      return { ...headers, [ACCESS_HEADER]: body.assertion };
    },
    undelivered: () => undeliveredEvents(graph.subgraphs.customer.db.sql),
    async countStatements(work) {
      const before = Object.fromEntries(
        Object.entries(graph.subgraphs).map(([name, s]) => [name, s.db.statementCount]),
      );
      await work();
      return Object.fromEntries(
        Object.entries(graph.subgraphs).map(([name, s]) => [name, s.db.statementCount - before[name]!]),
      );
    },
    async close() {
      await graph.close();
      await dropDatabase(adminUrl, database);
    },
  };
}

/** A client of the gateway at `gatewayUrl`: POSTs an operation and returns the whole response. */
export function gatewayRequest(gatewayUrl: string): TestGraph['request'] {
  return async <T>(query: string, variables?: Record<string, unknown>, options: RequestOptions = {}) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    const response = await fetch(gatewayUrl, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    const body = (await response.json()) as Omit<GraphQLResponse<T>, 'status'>;
    return { status: response.status, ...body };
  };
}

/** A store made in the database, and everything its tests do with it going through `request`. */
export function testStore(
  fields: Pick<TestStore, 'id' | 'name' | 'currency' | 'token' | 'ownerId'>,
  request: TestGraph['request'],
): TestStore {
  const { token } = fields;
  const store: TestStore = {
    ...storeData,
    ...fields,
    async staff(staffUserId, role) {
      let customRoleId: string | null = null;
      if (typeof role === 'object') {
        const created = await store.data<{ createStaffRole: { id: string } }>(
          `mutation($input: CreateStaffRoleInput!) { createStaffRole(input: $input) { id } }`,
          { input: { name: `Role ${randomUUID().slice(0, 8)}`, actions: role.actions } },
        );
        customRoleId = created.createStaffRole.id;
      }
      await store.data(`mutation($input: SetStaffMemberInput!) { setStaffMember(input: $input) { userId } }`, {
        input: { userId: staffUserId, role: typeof role === 'object' ? 'CUSTOM' : role, customRoleId },
      });
      return signToken({ kind: 'staff', userId: staffUserId, storeId: fields.id });
    },
    request: (query, variables) => request(query, variables, { token }),
    async data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const response = await request<T>(query, variables, { token });
      if (response.errors?.length) {
        throw new Error(`GraphQL errors: ${JSON.stringify(response.errors, null, 2)}`);
      }
      return response.data as T;
    },
  };
  return store;
}

/**
 * Events recorded so far that some consumer has not applied yet, over every producer's outbox,
 * read on `sql`, a connection to the graph's database.
 */
export async function undeliveredEvents(sql: Database['sql']): Promise<number> {
  let missing = 0;
  for (const consumer of SUBGRAPH_NAMES) {
    const types = (Object.keys(EVENT_ROUTES) as EventType[]).filter((type) => EVENT_ROUTES[type].includes(consumer));
    if (!types.length) continue;
    const consumerSchema = consumer.replace(/-/g, '_');
    for (const producer of SUBGRAPH_NAMES) {
      const [row] = await sql.unsafe(
        `select count(*)::int as count from ${producer.replace(/-/g, '_')}.outbox o
         where o.type = any(string_to_array($1, ',')) and not exists (select 1 from ${consumerSchema}.applied_events a where a.event_id = o.id)`,
        [types.join(',')],
      );
      missing += row!.count as number;
    }
  }
  return missing;
}
