import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  startSubgraphProcess,
  startTestGraph,
  type SubgraphProcess,
  type TestGraph,
  type TestStore,
} from '@cg/testing';
import { startGateway, type RunningGateway } from './gateway.ts';

const TIMEOUT_MS = 1000;

let graph: TestGraph;
let store: TestStore;
let customerId: string;
/** Subgraphs run alone (`services/<name>/src/main.ts`) on the test graph's database, to be stopped. */
const children: Record<string, SubgraphProcess> = {};
/** Gateways in front of the in-process subgraphs, but with one of them replaced by its own process. */
const gateways: Record<string, RunningGateway> = {};

/** A gateway like the test graph's, except that `name` is reached in its child process. */
function startGatewayWith(name: string): Promise<RunningGateway> {
  const subgraphUrls = Object.fromEntries(
    Object.entries(graph.graph.subgraphs).map(([subgraph, running]) => [subgraph, running.url]),
  );
  return startGateway({
    subgraphUrls: { ...subgraphUrls, [name]: children[name]!.url },
    timeouts: { subgraphMs: TIMEOUT_MS, accessMs: TIMEOUT_MS },
  });
}

const DETAIL = /* GraphQL */ `
  query Detail($id: ID!) {
    customer(id: $id) {
      id
      fullName
      email
      orders(first: 10) {
        totalCount
        edges {
          node {
            number
          }
        }
      }
      payments(first: 10) {
        totalCount
      }
      permissions(first: 10) {
        totalCount
      }
      wallet {
        balance {
          amount
          currency
        }
      }
    }
  }
`;

async function detail(gateway: RunningGateway) {
  const response = await fetch(gateway.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${store.token}` },
    body: JSON.stringify({ query: DETAIL, variables: { id: customerId } }),
  });
  return { status: response.status, ...((await response.json()) as { data?: any; errors?: any[] }) };
}

const WHOLE = {
  id: expect.any(String),
  fullName: 'Hedy Lamarr',
  email: 'hedy@example.com',
  orders: {
    totalCount: 3,
    edges: [{ node: { number: 'HL00000003' } }, { node: { number: 'HL00000002' } }, { node: { number: 'HL00000001' } }],
  },
  payments: { totalCount: 3 },
  permissions: { totalCount: 1 },
  wallet: { balance: { amount: 4000, currency: 'EUR' } },
};

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Stall store', { currency: 'EUR' });
  customerId = (await store.createCustomer({ firstName: 'Hedy', lastName: 'Lamarr', email: 'hedy@example.com' })).id;
  for (let i = 1; i <= 3; i += 1) {
    const order = await store.recordOrder({
      number: `HL0000000${i}`,
      customerId,
      unitPrice: 2500,
      placedAt: new Date(Date.UTC(2026, 0, i)).toISOString(),
    });
    await store.data(`mutation($input: RecordPaymentInput!) { recordPayment(input: $input) { id } }`, {
      input: { orderId: order.id, transactionCode: `TX-HL-${i}`, method: 'CREDIT_CARD', amount: 2500, currency: 'EUR' },
    });
  }
  await store.data(
    `mutation($id: ID!) {
      adjustWallet(input: { customerId: $id, amount: 4000, currency: "EUR", reason: "Welcome credit" }) { entry { id } }
      grantPermission(input: { customerId: $id, channel: EMAIL, source: CHECKOUT }) { id }
    }`,
    { id: customerId },
  );
  const [engagement, customer] = await Promise.all([
    startSubgraphProcess('engagement', graph.databaseUrl, { customerUrl: graph.graph.subgraphs.customer.url }),
    startSubgraphProcess('customer', graph.databaseUrl),
  ]);
  children.engagement = engagement;
  children.customer = customer;
  gateways.engagement = await startGatewayWith('engagement');
  gateways.customer = await startGatewayWith('customer');
});

afterAll(async () => {
  await Promise.all(Object.values(gateways).map((gateway) => gateway.close()));
  await Promise.all(Object.values(children).map((child) => child.stop()));
  await graph?.close();
});

describe('a stalled subgraph', () => {
  it('answers whole while every subgraph answers', async () => {
    const response = await detail(gateways.engagement!);
    expect(response.errors).toBeUndefined();
    expect(response.data.customer).toEqual(WHOLE);
  });

  it('costs only its own section, with an error naming it, and the answer does not wait for it', async () => {
    const engagement = children.engagement!.process;
    engagement.kill('SIGSTOP');
    const responses: Awaited<ReturnType<typeof detail>>[] = [];
    try {
      // Stalled for longer than the subgraph's keep-alive timeout (5 s), as a long pause would be,
      // with requests all along: each batch is answered without waiting for the stall to end.
      const stallEnds = Date.now() + 6000;
      while (Date.now() < stallEnds) {
        const started = Date.now();
        responses.push(...(await Promise.all([1, 2, 3].map(() => detail(gateways.engagement!)))));
        // Generous: the deadline is 1 s; without one the gateway waits as long as the stall lasts.
        expect(Date.now() - started).toBeLessThan(10_000);
      }
      expect(responses.length).toBeGreaterThanOrEqual(3);
      for (const response of responses) {
        expect(response.status).toBe(200);
        expect(response.data.customer).toEqual({ ...WHOLE, wallet: null });
        expect(response.errors).toHaveLength(1);
        expect(response.errors![0]).toMatchObject({
          message: 'The engagement service did not answer in time',
          extensions: { code: 'SERVICE_UNAVAILABLE', service: 'engagement', reason: 'TIMEOUT' },
        });
        expect(JSON.stringify(response.errors)).not.toMatch(/127\.0\.0\.1|http:/);
      }
    } finally {
      engagement.kill('SIGCONT');
    }
    // Whole again once it resumes, and it stays whole: no request lost on a closed keep-alive socket.
    await eventually(async () => expect((await detail(gateways.engagement!)).data.customer).toEqual(WHOLE));
    const after = await Promise.all([1, 2, 3, 4, 5].map(() => detail(gateways.engagement!)));
    expect(after.map((response) => [response.errors, response.data.customer])).toEqual(
      after.map(() => [undefined, WHOLE]),
    );
  });
});

describe('a stalled access lookup', () => {
  it('refuses a staff operation with a retriable 503, never allowing it by default', async () => {
    const customer = children.customer!.process;
    expect((await detail(gateways.customer!)).data.customer).toEqual(WHOLE);
    customer.kill('SIGSTOP');
    try {
      const started = Date.now();
      const response = await detail(gateways.customer!);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(response.status).toBe(503);
      expect(response.data?.customer ?? null).toBeNull();
      expect(response.errors).toEqual([
        {
          message: 'Store access could not be checked: the customer service is unavailable',
          extensions: { code: 'SERVICE_UNAVAILABLE', service: 'customer', reason: 'TIMEOUT' },
        },
      ]);
    } finally {
      customer.kill('SIGCONT');
    }
    await eventually(async () => expect((await detail(gateways.customer!)).data.customer).toEqual(WHOLE));
  });
});
