import { afterAll, beforeAll, expect, it, inject } from 'vitest';
import { connect, type Database } from '@cg/db';
import { startGateway } from '@cg/gateway';
import {
  eventually,
  startSubgraphProcess,
  startTestGraph,
  type GraphQLResponse,
  type TestGraph,
  type TestStore,
} from '@cg/testing';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

/**
 * A database restart under load, as a failover or a pooler does it: every backend of the graph's
 * database terminated, several times, while clients read customer details and create customers
 * and orders through the gateway. Both layouts are cut: the one-process graph of `pnpm start`
 * (this test's own process) and every subgraph in its own process. Every process must live on,
 * requests fail cleanly meanwhile and succeed again after, every mutation that answered is there,
 * and every event recorded reaches its consumers.
 */
const CUTS = 5;
const DETAIL = `query($id: ID!) { customer(id: $id) { id firstName metrics { orderCount } orders(first: 10) { edges { node { id } } } } }`;
const CREATE = `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`;
const RECORD = `mutation($input: RecordOrderInput!) { recordOrder(input: $input) { id } }`;
/** What a request may fail with while the database is away: retriable, no SQL. */
const ALLOWED_CODES = new Set(['SERVICE_UNAVAILABLE']);
const SQL = /\b(select|insert|update|delete)\b/i;

let graph: TestGraph;
let store: TestStore;
let admin: Database;
let customerId: string;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Restart store', { currency: 'EUR' });
  customerId = (await store.createCustomer({ firstName: 'Ada', lastName: 'Restart' })).id;
  admin = connect({ url: inject('adminDatabaseUrl'), schema: {}, max: 1, applicationName: 'database-restart-admin' });
});
afterAll(async () => {
  await admin?.close();
  await graph?.close();
});

const terminateAll = async () => {
  const database = new URL(graph.databaseUrl).pathname.slice(1);
  const [row] = await admin.sql<{ terminated: number }[]>`
    select count(*)::int as terminated
      from (select pg_terminate_backend(pid) from pg_stat_activity
             where datname = ${database} and pid <> pg_backend_pid()) as t`;
  return row!.terminated;
};

/** Waits for `condition`; past `ms`, fails naming what did not happen and the last failures seen. */
const until = async (condition: () => boolean, what: string, failed: GraphQLResponse[], ms = 30_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) {
      const last = failed.slice(-3).map((response) => `${response.status} ${JSON.stringify(response.errors)}`);
      throw new Error(`${what} did not happen within ${ms} ms; last failures: ${last.join(' | ') || 'none'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

/** Numbers the customers and orders created, across both runs on the one store. */
let sequence = 0;

type Request = (query: string, variables: Record<string, unknown>) => Promise<GraphQLResponse>;

/** Clients on `request` while every backend is cut CUTS times; then what must hold after. */
async function cutUnderLoad(request: Request, processesAlive: () => boolean) {
  const failed: GraphQLResponse[] = [];
  const customers: string[] = [];
  const orders: string[] = [];
  let succeeded = 0;
  let stop = false;

  const outcome = (response: GraphQLResponse) => {
    if (response.status === 200 && !response.errors?.length) {
      succeeded += 1;
      return response.data;
    }
    failed.push(response);
    return undefined;
  };
  const loops = [
    async () => outcome(await request(DETAIL, { id: customerId })),
    async () => {
      const i = (sequence += 1);
      const data = outcome(
        await request(CREATE, {
          input: { firstName: 'Load', lastName: `L${i}`, email: `load${i}@restart.example` },
        }),
      );
      if (data) customers.push(data.createCustomer.id);
    },
    async () => {
      const i = (sequence += 1);
      const input = {
        number: `RST${String(i).padStart(7, '0')}`,
        channel: 'WEB',
        currency: 'EUR',
        customerId,
        items: [{ productId: 'p', name: 'Product', quantity: 1, unitPrice: 1000 }],
      };
      const data = outcome(await request(RECORD, { input }));
      if (data) orders.push(data.recordOrder.id);
    },
  ];
  const running = [...loops, ...loops].map(async (step) => {
    while (!stop) await step();
  });

  let terminated = 0;
  try {
    for (let cut = 0; cut <= CUTS; cut += 1) {
      const before = succeeded;
      await until(() => succeeded >= before + 12, `12 successes after ${cut} cuts`, failed);
      if (cut < CUTS) terminated += await terminateAll();
    }
  } finally {
    stop = true;
    await Promise.all(running);
  }

  expect(terminated).toBeGreaterThan(0);
  expect(processesAlive()).toBe(true);
  // Clean failures: a retriable code and no SQL in any message; the only 5xx is the gateway's 503
  // when the access lookup itself could not reach its database (gateway/README.md, subgraph faults).
  const unclean = failed.filter(
    (response) =>
      (response.status >= 500 &&
        !(
          response.status === 503 && response.errors?.every((error) => error.extensions?.code === 'SERVICE_UNAVAILABLE')
        )) ||
      !response.errors?.length ||
      response.errors.some((error) => !ALLOWED_CODES.has(error.extensions?.code) || SQL.test(error.message)),
  );
  expect(unclean).toEqual([]);

  // Requests succeed again: the pools reconnected by themselves.
  const detail = await request(DETAIL, { id: customerId });
  expect(detail.errors).toBeUndefined();
  expect(detail.data.customer.id).toBe(customerId);

  // Nothing that answered OK is lost.
  const [customerRows] = await graph.graph.subgraphs.customer!.db
    .sql`select count(*)::int as n from customer.customers where id = any(string_to_array(${customers.join(',')}, ',')::uuid[])`;
  expect(customerRows!.n).toBe(customers.length);
  const [orderRows] = await graph.graph.subgraphs['commerce-history']!.db
    .sql`select count(*)::int as n from commerce_history.orders where id = any(string_to_array(${orders.join(',')}, ',')::uuid[])`;
  expect(orderRows!.n).toBe(orders.length);

  // Events still arrive: every event recorded is applied by its consumers, and every order stored
  // (a write whose COMMIT lost its connection may be there or not) is in the customer's metrics.
  const [stored] = await graph.graph.subgraphs['commerce-history']!.db
    .sql`select count(*)::int as n from commerce_history.orders where customer_id = ${customerId}`;
  await eventually(async () => {
    expect(await graph.undelivered()).toBe(0);
    const { customer } = await store.data(DETAIL, { id: customerId });
    expect(customer.metrics.orderCount).toBe(stored!.n);
  }, 30_000);
}

it('lives through every backend terminated under load in the one-process graph, loses nothing and recovers', () =>
  cutUnderLoad(store.request, () => true));

it('lives through it with every subgraph in its own process', async () => {
  const customer = await startSubgraphProcess('customer', graph.databaseUrl);
  const others = await Promise.all(
    Object.keys(graph.graph.subgraphs)
      .filter((name) => name !== 'customer')
      .map((name) => startSubgraphProcess(name, graph.databaseUrl, { customerUrl: customer.url })),
  );
  const children = [customer, ...others];
  const gateway = await startGateway({
    subgraphUrls: Object.fromEntries(children.map((child) => [child.name, child.url])),
  });
  try {
    const request: Request = async (query, variables) => {
      const response = await fetch(gateway.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${store.token}` },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, ...((await response.json()) as Omit<GraphQLResponse, 'status'>) };
    };
    await cutUnderLoad(request, () => children.every((child) => child.alive()));
  } finally {
    await gateway.close();
    await Promise.all(children.map((child) => child.stop()));
  }
});
