import { randomUUID } from 'node:crypto';
import { createClient, type Client, type FormattedExecutionResult } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  expectNothingReadable,
  expectNothingWritable,
  seedIsolatedStore,
  startScaledGraph,
  type ScaledGateway,
  type ScaledGraph,
  type TestStore,
} from '@cg/testing';

/**
 * The graph scaled out on one database: two processes of every subgraph behind round-robin
 * balancers, two gateway processes. Writes of one customer go through both gateways and land on
 * either process of each subgraph; two relays and two consumers per subgraph share the event
 * queue. Every event must take effect exactly once, live updates must reach a subscriber of the
 * other gateway, and stores stay apart whichever process answers.
 */
let graph: ScaledGraph;
let viaA: ScaledGateway;
let viaB: ScaledGateway;
const clients: Client[] = [];

beforeAll(async () => {
  graph = await startScaledGraph({ replicas: 2, gateways: 2 });
  [viaA, viaB] = graph.gateways as [ScaledGateway, ScaledGateway];
}, 180_000);
afterEach((context) => {
  if (context.task.result?.state === 'fail') console.error(`What the processes printed:\n${graph.logs()}`);
});
afterAll(async () => {
  await Promise.all(clients.map(async (client) => client.dispose()));
  await graph?.close();
});

const ADJUST = `mutation($id: ID!, $amount: Int!) { adjustWallet(input: { customerId: $id, amount: $amount, currency: "EUR", reason: "Credit" }) { entry { id } } }`;
const GRANT = `mutation($id: ID!, $channel: NotificationChannel!) { grantPermission(input: { customerId: $id, channel: $channel, source: REGISTRATION }) { id } }`;
const FIGURES = /* GraphQL */ `
  query Figures($id: ID!) {
    customer(id: $id) {
      metrics {
        orderCount
        totalSpent {
          amount
        }
        walletBalance {
          amount
        }
      }
      created: timeline(kinds: [CREATED]) {
        totalCount
      }
      ordered: timeline(kinds: [ORDER]) {
        totalCount
      }
      balance: timeline(kinds: [BALANCE]) {
        totalCount
      }
      consent: timeline(kinds: [CONSENT]) {
        totalCount
      }
      auditLog {
        totalCount
      }
    }
  }
`;

describe('events with two relays and two consumers per subgraph', () => {
  const CUSTOMERS = 8;

  it('apply each event exactly once: metrics, timeline, audit log and directories count every write once', async () => {
    const store = await graph.createStore('Scale store');
    const [a, b] = [viaA.store(store), viaB.store(store)];
    let peak = 0;
    const sampling = setInterval(() => void graph.connections().then((n) => (peak = Math.max(peak, n))), 100);
    let ids: string[];
    try {
      // Customers through gateway A, their orders through gateway B, credits and consents through
      // both, all at once so that each gateway opens several connections, spread over the processes.
      ids = await Promise.all(
        Array.from({ length: CUSTOMERS }, async (_, i) => (await a.createCustomer({ firstName: `Scale${i}` })).id),
      );
      await Promise.all(
        ids.flatMap((id, i) => [
          ...Array.from({ length: i + 1 }, () => b.recordOrder({ customerId: id, unitPrice: 1000 + 100 * i })),
          a.data(ADJUST, { id, amount: 100 * (i + 1) }),
          b.data(ADJUST, { id, amount: 10 * (i + 1) }),
          (i % 2 ? a : b).data(GRANT, { id, channel: 'EMAIL' }),
          (i % 2 ? b : a).data(GRANT, { id, channel: 'SMS' }),
        ]),
      );
      await eventually(async () => expect(await graph.undelivered()).toBe(0), 60_000);
    } finally {
      clearInterval(sampling);
    }
    console.log(`peak connections to the database: ${peak}`);
    for (const [i, id] of ids.entries()) {
      const { customer } = await (i % 2 ? a : b).data(FIGURES, { id });
      expect(customer, `customer ${i}`).toEqual({
        metrics: {
          orderCount: i + 1,
          totalSpent: { amount: (i + 1) * (1000 + 100 * i) },
          walletBalance: { amount: 110 * (i + 1) },
        },
        created: { totalCount: 1 },
        ordered: { totalCount: i + 1 },
        balance: { totalCount: 2 },
        consent: { totalCount: 2 },
        // customer.create, each order, both credits and both grants.
        auditLog: { totalCount: 1 + (i + 1) + 2 + 2 },
      });
    }
    for (const schema of ['commerce_history', 'engagement', 'consent']) {
      const rows = await graph.db.sql.unsafe(
        `select customer_id::text as id from ${schema}.customer_directory where store_id = $1`,
        [store.id],
      );
      expect(rows.map((row) => row.id as string).sort(), schema).toEqual([...ids].sort());
    }
    // Nothing left behind in the queue once the last completions are in: no job failed (a failed
    // one stays for its retry).
    await eventually(async () => {
      const [queue] = await graph.db.sql`select count(*)::int as jobs from graphile_worker._private_jobs`;
      expect(queue!.jobs).toBe(0);
    });
  });
});

const SUMMARY = /* GraphQL */ `
  subscription Summary($id: ID!) {
    customerSummaryUpdated(customerId: $id) {
      id
      fullName
      metrics {
        orderCount
      }
    }
  }
`;

/** Follows `SUMMARY` of a customer over graphql-ws on `gateway`, collecting what it pushes. */
function follow(gateway: ScaledGateway, token: string, id: string) {
  const client = createClient({
    url: gateway.url.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${token}` },
    retryAttempts: 0,
  });
  clients.push(client);
  const results: FormattedExecutionResult<any, any>[] = [];
  const errors: unknown[] = [];
  client.subscribe(
    { query: SUMMARY, variables: { id } },
    { next: (result) => void results.push(result), error: (error) => void errors.push(error), complete: () => {} },
  );
  return {
    errors,
    get last() {
      return results.at(-1)?.data?.customerSummaryUpdated;
    },
  };
}

describe('live summary across gateways', () => {
  it("pushes to a subscriber of each gateway the change written through the other's", async () => {
    const store = await graph.createStore('Live scale store');
    const id = (await store.createCustomer({ firstName: 'Ada', lastName: 'Live' })).id;
    const onA = follow(viaA, store.token, id);
    const onB = follow(viaB, store.token, id);
    await eventually(async () => {
      expect(onA.last).toEqual({ id, fullName: 'Ada Live', metrics: { orderCount: 0 } });
      expect(onB.last).toEqual({ id, fullName: 'Ada Live', metrics: { orderCount: 0 } });
    });

    // An order through gateway B: its event crosses a relay and a consumer of either process.
    await viaB.store(store).recordOrder({ customerId: id });
    await eventually(async () => {
      expect(onA.last).toEqual({ id, fullName: 'Ada Live', metrics: { orderCount: 1 } });
      expect(onB.last).toEqual({ id, fullName: 'Ada Live', metrics: { orderCount: 1 } });
    }, 20_000);

    // A profile edit through gateway A, announced in its own transaction.
    await viaA
      .store(store)
      .data(`mutation($id: ID!) { updateCustomer(id: $id, input: { lastName: "Lovelace" }) { id } }`, { id });
    await eventually(async () => {
      expect(onA.last).toEqual({ id, fullName: 'Ada Lovelace', metrics: { orderCount: 1 } });
      expect(onB.last).toEqual({ id, fullName: 'Ada Lovelace', metrics: { orderCount: 1 } });
    }, 20_000);
    expect([...onA.errors, ...onB.errors]).toEqual([]);
  });
});

describe('isolation through either gateway', () => {
  let a: TestStore;
  let b: TestStore;
  let manager: string;

  beforeAll(async () => {
    a = await graph.createStore('Store A');
    b = await graph.createStore('Store B');
    manager = await b.staff(randomUUID(), 'MANAGER');
  });

  it("gives store B's staff nothing of store A to read or change, whichever gateway and process answer", async () => {
    // Store A's records made through gateway B, looked at and reached for through both.
    const records = await seedIsolatedStore(viaB.store(a));
    for (const [gateway, other] of [
      [viaA, viaB],
      [viaB, viaA],
    ] as const) {
      for (const token of [b.token, manager]) {
        const intruder = gateway.store({ ...b, token });
        await expectNothingReadable(intruder, records);
        await expectNothingWritable(other.store(a), intruder, records);
      }
    }
  });
});

describe('access through either gateway', () => {
  /**
   * Each gateway keeps staff members' access assertions until the customer subgraph notifies a
   * change (gateway/README.md, "The access cache"): the gateway a change went through refuses on the
   * next request, the other one as soon as the notification reaches it. The probe of the other
   * gateway writes nothing even when it is let through: its input is refused after the check.
   */
  it("takes a staff member's demotion and removal into account on the next request through the same gateway, and on the notification through the other", async () => {
    const store = await graph.createStore('Access scale store');
    const userId = randomUUID();
    const token = await store.staff(userId, 'MANAGER');
    const [sameGateway, otherGateway] = [viaA.store({ ...store, token }), viaB.store({ ...store, token })];
    const owner = viaA.store(store);
    const CREATE = `mutation { createCustomer(input: { firstName: "Grace", lastName: "Staff", email: "${userId}@staff.example" }) { id } }`;
    const PROBE = `mutation { createCustomer(input: { firstName: "Grace", lastName: "Staff", email: "not an email" }) { id } }`;
    const READ = `{ customers { totalCount } }`;
    const code = async (member: TestStore, query: string) =>
      (await member.request(query)).errors?.[0]?.extensions?.code;
    // Allowed through both first, so that each gateway holds the grant when it changes.
    for (const member of [sameGateway, otherGateway]) {
      expect((await member.data(READ)).customers.totalCount).toBe(0);
      expect(await code(member, PROBE)).toBe('BAD_USER_INPUT');
    }

    await owner.data(`mutation($u: ID!) { setStaffMember(input: { userId: $u, role: VIEWER }) { userId } }`, {
      u: userId,
    });
    expect(await code(sameGateway, CREATE)).toBe('FORBIDDEN');
    await eventually(async () => expect(await code(otherGateway, PROBE)).toBe('FORBIDDEN'));
    for (const member of [sameGateway, otherGateway]) {
      expect(await code(member, CREATE)).toBe('FORBIDDEN');
      expect((await member.data(READ)).customers.totalCount).toBe(0);
    }

    await owner.data(`mutation($u: ID!) { removeStaffMember(userId: $u) { userId } }`, { u: userId });
    expect(await code(sameGateway, READ)).toBe('FORBIDDEN');
    await eventually(async () => expect(await code(otherGateway, READ)).toBe('FORBIDDEN'));
  });
});

it('spread the requests over both processes of every subgraph', () => {
  const served = graph.requestsServed();
  console.log('requests served per process:', JSON.stringify(served));
  for (const [name, counts] of Object.entries(served)) {
    expect(counts, name).toHaveLength(2);
    for (const count of counts) expect(count, name).toBeGreaterThan(0);
  }
});
