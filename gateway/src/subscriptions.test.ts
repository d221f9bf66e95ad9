import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import {
  eventually,
  startGatewayProcess,
  startTestGraph,
  type GatewayProcess,
  type TestGraph,
  type TestStore,
} from '@cg/testing';
import { liveResults } from './subscriptions/fan-out.ts';
import { LiveGroups } from './subscriptions/live-groups.ts';

let graph: TestGraph;
let storeA: TestStore;
let storeB: TestStore;
/** A second gateway process (`tsx gateway/src/main.ts`) in front of the same subgraphs. */
let second: GatewayProcess;
const clients: Client[] = [];

interface Subscriber {
  results: FormattedExecutionResult<any, any>[];
  readonly error: any;
  readonly completed: boolean;
  readonly last: any;
  close(): Promise<void>;
}

function subscribe(
  url: string,
  token: string | null,
  query: string,
  variables: Record<string, unknown> = {},
): Subscriber {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
  });
  clients.push(client);
  const results: FormattedExecutionResult<any, any>[] = [];
  let error: unknown;
  let completed = false;
  const unsubscribe = client.subscribe(
    { query, variables },
    {
      next: (result) => void results.push(result),
      error: (e) => void (error = e),
      complete: () => void (completed = true),
    },
  );
  return {
    results,
    get error() {
      return error;
    },
    get completed() {
      return completed;
    },
    get last() {
      return results.at(-1);
    },
    async close() {
      unsubscribe();
      await client.dispose();
    },
  };
}

/** One socket holding many subscriptions. */
function connect(url: string, token: string) {
  const client = createClient({
    url: url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
    lazy: false,
  });
  clients.push(client);
  const subscribers: { results: FormattedExecutionResult<any, any>[]; error?: any; stop: () => void }[] = [];
  return {
    subscribers,
    subscribe(query: string, variables: Record<string, unknown>) {
      const subscriber: (typeof subscribers)[number] = { results: [], stop: () => {} };
      subscriber.stop = client.subscribe(
        { query, variables },
        {
          next: (result) => void subscriber.results.push(result),
          error: (e) => void (subscriber.error = e),
          complete: () => {},
        },
      );
      subscribers.push(subscriber);
      return subscriber;
    },
    close: () => client.dispose(),
  };
}

const SUMMARY = /* GraphQL */ `
  subscription Summary($id: ID!) {
    customerSummaryUpdated(customerId: $id) {
      id
      fullName
      metrics {
        orderCount
        totalSpent {
          amount
          currency
        }
      }
      orders(first: 10) {
        totalCount
      }
    }
  }
`;

/** The same selection through an alias and fragments, one of them on Subscription. */
const SUMMARY_WITH_FRAGMENTS = /* GraphQL */ `
  subscription ($id: ID!) {
    ...Root
  }
  fragment Root on Subscription {
    live: customerSummaryUpdated(customerId: $id) {
      id
      ...Figures
    }
  }
  fragment Figures on Customer {
    fullName
    metrics {
      orderCount
      totalSpent {
        amount
        currency
      }
    }
    ... on Customer {
      orders(first: 10) {
        totalCount
      }
    }
  }
`;

/** C10: the loyalty points as the projection has them, and as engagement's own section does. */
const LOYALTY_SUMMARY = /* GraphQL */ `
  subscription ($id: ID!) {
    customerSummaryUpdated(customerId: $id) {
      id
      metrics {
        loyaltyPoints
      }
      loyalty {
        points
      }
    }
  }
`;

const newCustomer = async (store: TestStore, name: string) =>
  (await store.createCustomer({ firstName: name, lastName: 'Live' })).id;

beforeAll(async () => {
  graph = await startTestGraph();
  storeA = await graph.createStore('Live store A', { currency: 'EUR' });
  storeB = await graph.createStore('Live store B', { currency: 'EUR' });
  second = await startGatewayProcess(
    Object.fromEntries(Object.entries(graph.graph.subgraphs).map(([name, subgraph]) => [name, subgraph.url])),
    graph.databaseUrl,
  );
});

afterAll(async () => {
  await Promise.all(clients.map(async (client) => client.dispose()));
  await second?.stop();
  await graph?.close();
});

describe('customerSummaryUpdated over graphql-ws', () => {
  it('pushes the summary with fields of two subgraphs through either of two gateway processes after an order', async () => {
    const id = await newCustomer(storeA, 'Ada');
    const viaA = subscribe(graph.gatewayUrl, storeA.token, SUMMARY, { id });
    const viaB = subscribe(second.url, storeA.token, SUMMARY_WITH_FRAGMENTS, { id });

    // The summary as it is comes first.
    await eventually(async () => {
      expect(viaA.last?.data?.customerSummaryUpdated).toMatchObject({
        id,
        metrics: { orderCount: 0 },
        orders: { totalCount: 0 },
      });
      expect(viaB.last?.data?.live).toMatchObject({
        id,
        fullName: 'Ada Live',
        metrics: { orderCount: 0 },
        orders: { totalCount: 0 },
      });
    });

    await storeA.recordOrder({ customerId: id, unitPrice: 2500 });

    const updated = {
      id,
      fullName: 'Ada Live',
      metrics: { orderCount: 1, totalSpent: { amount: 2500, currency: 'EUR' } },
      orders: { totalCount: 1 },
    };
    await eventually(async () => {
      expect(viaA.last).toEqual({ data: { customerSummaryUpdated: updated } });
      expect(viaB.last).toEqual({ data: { live: updated } });
    }, 20_000);
    expect(viaA.error).toBeUndefined();
    expect(viaB.error).toBeUndefined();
    await Promise.all([viaA.close(), viaB.close()]);
  });

  it('pushes a profile change', async () => {
    const id = await newCustomer(storeA, 'Grace');
    const subscriber = subscribe(second.url, storeA.token, SUMMARY, { id });
    await eventually(async () => expect(subscriber.last?.data?.customerSummaryUpdated?.fullName).toBe('Grace Live'));
    await storeA.data(`mutation($id: ID!) { updateCustomer(id: $id, input: { lastName: "Hopper" }) { id } }`, { id });
    await eventually(async () => expect(subscriber.last?.data?.customerSummaryUpdated?.fullName).toBe('Grace Hopper'));
    await subscriber.close();
  });

  it('pushes loyalty points when they change, from the projection and from engagement alike', async () => {
    const id = await newCustomer(storeA, 'Lin');
    const subscriber = subscribe(graph.gatewayUrl, storeA.token, LOYALTY_SUMMARY, { id });
    const points = () => {
      const summary = subscriber.last?.data?.customerSummaryUpdated;
      return summary && [summary.metrics.loyaltyPoints, summary.loyalty.points];
    };
    await eventually(async () => expect(points()).toEqual([0, 0]));
    await storeA.data(
      `mutation($id: ID!) { adjustLoyaltyPoints(input: { customerId: $id, points: 120, reason: "Welcome" }) { entry { id } } }`,
      { id },
    );
    await eventually(async () => expect(points()).toEqual([120, 120]), 20_000);
    expect(subscriber.error).toBeUndefined();
    await subscriber.close();
  });

  it("never shows another store's customer: NOT_FOUND and the end, nothing after its orders", async () => {
    const id = await newCustomer(storeA, 'Hedy');
    const ownId = await newCustomer(storeB, 'Mary');
    const intruder = subscribe(graph.gatewayUrl, storeB.token, SUMMARY, { id });
    const neighbour = subscribe(second.url, storeB.token, SUMMARY, { id: ownId });
    await eventually(async () => expect(intruder.completed).toBe(true));
    expect(intruder.results).toHaveLength(1);
    expect(intruder.results[0]!.data).toBeNull();
    expect(intruder.results[0]!.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    await eventually(async () => expect(neighbour.results).toHaveLength(1));

    await storeA.recordOrder({ customerId: id, unitPrice: 900 });
    // Store A's own subscriber sees the order; store B's subscribers hear nothing of it.
    const owner = subscribe(graph.gatewayUrl, storeA.token, SUMMARY, { id });
    await eventually(async () => expect(owner.last?.data?.customerSummaryUpdated?.metrics.orderCount).toBe(1), 20_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(intruder.results).toHaveLength(1);
    expect(neighbour.results).toHaveLength(1);
    expect(neighbour.results[0]!.data.customerSummaryUpdated.id).toBe(ownId);
    await Promise.all([intruder.close(), neighbour.close(), owner.close()]);
  });

  it('refuses a missing or bad token with 4401 UNAUTHENTICATED', async () => {
    const forged = await signToken({ kind: 'staff', userId: 'x', storeId: storeA.id }, { expiresIn: '-1m' });
    for (const token of [null, 'not-a-token', forged]) {
      const subscriber = subscribe(graph.gatewayUrl, token, SUMMARY, { id: '00000000-0000-0000-0000-000000000000' });
      await eventually(async () => expect(subscriber.error).toBeDefined());
      expect(subscriber.error.code).toBe(4401);
      expect(subscriber.error.reason).toMatch(/^UNAUTHENTICATED: /);
      expect(subscriber.results).toEqual([]);
    }
  });

  it('applies the request limits before anything runs', async () => {
    const deep = /* GraphQL */ `
      subscription Deep($id: ID!) {
        customerSummaryUpdated(customerId: $id) {
          orders(first: 10) {
            edges {
              node {
                ...Paid
              }
            }
          }
        }
      }
      fragment Paid on Order {
        payments {
          order {
            payments {
              ... on Payment {
                order {
                  payments {
                    order {
                      payments {
                        order {
                          number
                        }
                      }
                    }
                  }
                }
              }
            }
          }
        }
      }
    `;
    const id = await newCustomer(storeA, 'Deep');
    const subscriber = subscribe(second.url, storeA.token, deep, { id });
    await eventually(async () => expect(subscriber.error).toBeDefined());
    expect(subscriber.error).toEqual([
      expect.objectContaining({
        extensions: { code: 'GRAPHQL_VALIDATION_FAILED', reason: 'MAX_DEPTH', limit: 12, actual: 13 },
      }),
    ]);
    expect(subscriber.results).toEqual([]);

    const invalid = subscribe(
      graph.gatewayUrl,
      storeA.token,
      `subscription { customerSummaryUpdated(customerId: "x") { nope } }`,
    );
    await eventually(async () => expect(invalid.error).toBeDefined());
    expect(invalid.error[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('tells where subscriptions are served when one is POSTed', async () => {
    const response = await storeA.request(
      `subscription { customerSummaryUpdated(customerId: "00000000-0000-0000-0000-000000000000") { id } }`,
    );
    expect(response.status).toBe(400);
    expect(response.errors?.[0]?.extensions?.code).toBe('BAD_REQUEST');
    expect(response.errors?.[0]?.message).toContain('graphql-ws');
  });

  it('answers queries over the socket too, and stops listening when subscribers leave', async () => {
    const id = await newCustomer(storeA, 'Query');
    const query = subscribe(graph.gatewayUrl, storeA.token, `query($id: ID!) { customer(id: $id) { fullName } }`, {
      id,
    });
    await eventually(async () => expect(query.completed).toBe(true));
    expect(query.results).toEqual([{ data: { customer: { fullName: 'Query Live' } } }]);

    const feed = graph.graph.gateway.subscriptions.feed!;
    const before = feed.size;
    // Two subscribers of the same selection share one listener; another customer has its own.
    const otherId = await newCustomer(storeA, 'Other');
    const subscribers = [id, id, otherId].map((customerId) =>
      subscribe(graph.gatewayUrl, storeA.token, SUMMARY, { id: customerId }),
    );
    await eventually(async () => expect(subscribers.every((s) => s.results.length === 1)).toBe(true));
    expect(feed.size).toBe(before + 2);
    await Promise.all(subscribers.map((s) => s.close()));
    await eventually(async () => expect(feed.size).toBe(before));
  });

  it('refuses subscriptions past 20 on one socket, naming the limit, and shares one resolution among the rest', async () => {
    const store = await graph.createStore('Live store C', { currency: 'EUR' });
    const id = await newCustomer(store, 'Many');
    const live = graph.graph.gateway.subscriptions.live;
    const resolutionsBefore = live.resolutions;
    const socket = connect(graph.gatewayUrl, store.token);
    const all = Array.from({ length: 500 }, () => socket.subscribe(SUMMARY, { id }));
    await eventually(async () => expect(all.filter((s) => s.results.length === 1 || s.error).length).toBe(500));
    const accepted = all.filter((s) => s.results.length === 1);
    const refused = all.filter((s) => s.error);
    expect(accepted).toHaveLength(20);
    expect(refused).toHaveLength(480);
    expect(refused[0]!.error).toEqual([
      {
        message: 'Too many subscriptions on this connection: at most 20',
        extensions: { code: 'BAD_REQUEST', reason: 'MAX_SUBSCRIPTIONS_PER_CONNECTION', limit: 20, actual: 21 },
      },
    ]);
    // The 20 accepted ones: one resolution for all of them.
    expect(live.resolutions - resolutionsBefore).toBe(1);

    // A slot given back is taken again.
    accepted[0]!.stop();
    let again = socket.subscribe(SUMMARY, { id });
    await eventually(async () => {
      if (again.error) again = socket.subscribe(SUMMARY, { id });
      expect(again.results).toHaveLength(1);
    });
    await socket.close();
  });

  it('refuses subscriptions past 50 for one principal over several sockets, naming the limit', async () => {
    const store = await graph.createStore('Live store D', { currency: 'EUR' });
    const id = await newCustomer(store, 'Principal');
    const sockets = [1, 2, 3].map(() => connect(graph.gatewayUrl, store.token));
    const all = sockets.flatMap((socket) => Array.from({ length: 20 }, () => socket.subscribe(SUMMARY, { id })));
    await eventually(async () => expect(all.filter((s) => s.results.length === 1 || s.error).length).toBe(60));
    const refused = all.filter((s) => s.error);
    expect(refused).toHaveLength(10);
    expect(refused[0]!.error[0].extensions).toEqual({
      code: 'BAD_REQUEST',
      reason: 'MAX_SUBSCRIPTIONS_PER_PRINCIPAL',
      limit: 50,
      actual: 51,
    });
    expect(refused[0]!.error[0].message).toBe('Too many subscriptions for this user on this gateway: at most 50');
    // A closed socket gives its slots back.
    await sockets[0]!.close();
    const later = connect(graph.gatewayUrl, store.token);
    let again = later.subscribe(SUMMARY, { id });
    await eventually(async () => {
      if (again.error) again = later.subscribe(SUMMARY, { id });
      expect(again.results).toHaveLength(1);
    });
    await Promise.all([sockets[1]!.close(), sockets[2]!.close(), later.close()]);
  });

  it('resolves a change once for 20 subscribers of the same selection, as for one', async () => {
    const store = await graph.createStore('Live store E', { currency: 'EUR' });
    const live = graph.graph.gateway.subscriptions.live;
    /** Resolutions and statements from a change of a customer followed by `count` identical subscribers. */
    const afterAnOrder = async (count: number) => {
      const id = await newCustomer(store, `Shared${count}`);
      const socket = connect(graph.gatewayUrl, store.token);
      const subscribers = Array.from({ length: count }, () => socket.subscribe(SUMMARY, { id }));
      await eventually(async () => expect(subscribers.every((s) => s.results.length === 1)).toBe(true));
      const before = live.resolutions;
      await store.recordOrder({ customerId: id, unitPrice: 700 });
      await eventually(
        async () =>
          expect(
            subscribers.every((s) => s.results.at(-1)?.data?.customerSummaryUpdated?.metrics.orderCount === 1),
          ).toBe(true),
        20_000,
      );
      // Let a notification still being coalesced be resolved before counting.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const resolutions = live.resolutions - before;
      await socket.close();
      return resolutions;
    };
    const one = await afterAnOrder(1);
    const twenty = await afterAnOrder(20);
    expect(one).toBeGreaterThanOrEqual(1);
    expect(twenty).toBe(one);
  });

  it('listens again after losing its PostgreSQL connection, and catches up', async () => {
    const id = await newCustomer(storeA, 'Phoenix');
    const subscriber = subscribe(graph.gatewayUrl, storeA.token, SUMMARY, { id });
    await eventually(async () => expect(subscriber.results).toHaveLength(1));
    const db = graph.graph.subgraphs.customer.db;
    const killed = await db.sql`
      select pg_terminate_backend(pid) as killed from pg_stat_activity
      where application_name = 'gateway-live-updates' and datname = current_database()`;
    expect(killed.length).toBeGreaterThan(0);
    await storeA.recordOrder({ customerId: id, unitPrice: 1200 });
    await eventually(
      async () => expect(subscriber.last?.data?.customerSummaryUpdated?.metrics.orderCount).toBe(1),
      20_000,
    );
    await subscriber.close();
  });
});

describe('liveResults', () => {
  it('coalesces a burst of changes into one resolution and skips results equal to the last', async () => {
    let notify!: () => void;
    let unfollowed = false;
    let resolutions = 0;
    let value = 0;
    const results = liveResults({
      coalesceMs: 50,
      follow: async (onChange) => {
        notify = onChange;
        return () => void (unfollowed = true);
      },
      resolve: async () => {
        resolutions += 1;
        return { result: { data: { value } }, final: false };
      },
    });
    expect((await results.next()).value).toEqual({ data: { value: 0 } });
    const next = results.next();
    value = 1;
    for (let i = 0; i < 10; i += 1) notify();
    expect((await next).value).toEqual({ data: { value: 1 } });
    expect(resolutions).toBe(2);

    // A change that leaves the result as it was sends nothing; a later one does.
    const after = results.next();
    notify();
    await new Promise((resolve) => setTimeout(resolve, 120));
    expect(resolutions).toBe(3);
    value = 2;
    notify();
    expect((await after).value).toEqual({ data: { value: 2 } });

    // Returning while it waits for a change ends it at once and stops following.
    const pending = results.next();
    await results.return(undefined);
    expect(await pending).toEqual({ done: true, value: undefined });
    expect(unfollowed).toBe(true);
  });
});

describe('LiveGroups', () => {
  it('resolves once per change for every member, ends a refused member alone, and stops following when all leave', async () => {
    let notify!: () => void;
    let follows = 0;
    let unfollows = 0;
    let value = 0;
    const resolvedAs: string[] = [];
    const groups = new LiveGroups<{ name: string; refused: boolean; admit: () => Promise<any> }>(10);
    const member = (name: string) => {
      const m = { name, refused: false, admit: async () => (m.refused ? { data: null, errors: [] } : undefined) };
      return m;
    };
    const source = () => ({
      follow: async (onChange: () => void) => {
        follows += 1;
        notify = onChange;
        return () => void (unfollows += 1);
      },
      resolve: async (newest: { name: string }) => {
        resolvedAs.push(newest.name);
        return { result: { data: { value } }, final: false };
      },
    });
    const [a, b, c] = [member('a'), member('b'), member('c')];
    const streamA = groups.join('k', a, source);
    expect((await streamA.next()).value).toEqual({ data: { value: 0 } });
    // A newcomer gets the last result at once, without a resolution.
    const streamB = groups.join('k', b, source);
    const streamC = groups.join('k', c, source);
    expect((await streamB.next()).value).toEqual({ data: { value: 0 } });
    expect((await streamC.next()).value).toEqual({ data: { value: 0 } });
    expect([follows, groups.resolutions, groups.size]).toEqual([1, 1, 1]);

    value = 1;
    c.refused = true;
    notify();
    notify();
    expect((await streamA.next()).value).toEqual({ data: { value: 1 } });
    expect((await streamB.next()).value).toEqual({ data: { value: 1 } });
    expect(await streamC.next()).toEqual({ done: false, value: { data: null, errors: [] } });
    expect(await streamC.next()).toEqual({ done: true, value: undefined });
    expect(groups.resolutions).toBe(2);
    expect(resolvedAs).toEqual(['a', 'b']);

    // Another key is another group.
    const other = groups.join('other', member('d'), source);
    expect((await other.next()).value).toEqual({ data: { value: 1 } });
    expect(groups.size).toBe(2);
    await other.return(undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect([unfollows, groups.size]).toEqual([1, 1]);

    await streamA.return(undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unfollows).toBe(1);
    await streamB.return(undefined);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(unfollows).toBe(2);
    expect(groups.size).toBe(0);
  });
});
