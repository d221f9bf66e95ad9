import { afterAll, beforeAll, expect, it } from 'vitest';
import { customerSubgraph } from '@cg/customer';
import { connect, type Database } from '@cg/db';
import { startEventDelivery, startScheduledTasks, type EventDelivery, type ScheduledTasks } from '@cg/events';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

/**
 * A backlog of one customer's events, all in one of the consumer's serial queues, drains at the
 * speed of its handlers: a worker that completes a queue's job takes the queue's next job at once.
 * The consumer started here polls once a minute, so a backlog that waited on polls (a worker
 * asking for the next job before its completion has freed the queue) would move a job a minute.
 * A schedule polls for its tasks beside it, every 5 ms, as every subgraph with scheduled tasks does
 * (every second): its polls must not lock the delivery's queues (they use a schema of their own).
 */
const ORDERS = 30;

let graph: TestGraph;
let store: TestStore;
let db: Database | undefined;
let delivery: EventDelivery | undefined;
let schedule: ScheduledTasks | undefined;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Backlog store', { currency: 'EUR' });
});
afterAll(async () => {
  await schedule?.stop();
  await delivery?.stop();
  await db?.close();
  await graph?.close();
});

it("drains one customer's backlog without waiting for a poll between its jobs", async () => {
  const customer = await store.createCustomer({ firstName: 'Backlog', lastName: 'Test' });
  await graph.graph.subgraphs.customer!.delivery!.stop();
  for (let i = 0; i < ORDERS; i += 1) {
    await store.recordOrder({ customerId: customer.id, channel: 'WEB', quantity: 1, unitPrice: 500 });
  }
  // Every order's event is queued for the stopped consumer: the backlog is in place.
  const history = graph.graph.subgraphs['commerce-history']!.db.sql;
  await eventually(async () => {
    const [row] = await history`select count(*)::int as n from commerce_history.outbox where published_at is null`;
    expect(row!.n).toBe(0);
  });

  // The other consumers stop too: their polls lock every free queue for a moment (graphile-worker's
  // `for update skip locked`), and a worker that asks meanwhile finds nothing and sleeps its poll.
  for (const subgraph of Object.values(graph.graph.subgraphs)) await subgraph.delivery?.stop();

  db = connect({ url: graph.databaseUrl, schema: customerSubgraph.tables, max: 3, applicationName: 'backlog' });
  schedule = await startScheduledTasks({
    db,
    brokerUrl: graph.databaseUrl,
    tasks: [{ name: 'backlog:yearly', pattern: '0 0 1 1 *', catchUpHours: 0, run: async () => {} }],
    pollIntervalMs: 5,
  });
  delivery = await startEventDelivery({
    name: 'customer',
    db,
    brokerUrl: graph.databaseUrl,
    wiring: { consumer: customerSubgraph.events!.consumer! },
    pollIntervalMs: 60_000,
  });
  const METRICS = `query($id: ID!) { customer(id: $id) { metrics { orderCount } } }`;
  await eventually(async () => {
    const { customer: found } = await store.data(METRICS, { id: customer.id });
    expect(found.metrics.orderCount).toBe(ORDERS);
  }, 20_000);
});
