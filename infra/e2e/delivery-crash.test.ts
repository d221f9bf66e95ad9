import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eventually, startTestGraph, type TestGraph, type TestStore } from '@cg/testing';

/**
 * The delivering process really dies: commerce-history runs as its own process, is frozen
 * (SIGSTOP) so that it cannot relay, an order commits meanwhile, and the process is killed
 * (SIGKILL). The event must arrive once a relay runs again.
 */
const root = fileURLToPath(new URL('../..', import.meta.url));

let graph: TestGraph;
let store: TestStore;
let child: ChildProcess | undefined;

beforeAll(async () => {
  graph = await startTestGraph();
  store = await graph.createStore('Crash store', { currency: 'EUR' });
});
afterAll(async () => {
  child?.kill('SIGKILL');
  await graph?.close();
});

function startCommerceHistoryProcess(databaseUrl: string): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const started = spawn(`${root}/node_modules/.bin/tsx`, ['services/commerce-history/src/main.ts'], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl, PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const timer = setTimeout(() => reject(new Error('commerce-history process did not start')), 60_000);
    started.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('subgraph at')) {
        clearTimeout(timer);
        resolve(started);
      }
    });
    started.once('exit', (code) => reject(new Error(`commerce-history process exited with ${code}`)));
  });
}

it('loses no event when the relaying process is killed between the commit and the delivery', async () => {
  const customer = await store.createCustomer({ firstName: 'Crash', lastName: 'Test' });
  const inProcessRelay = graph.graph.subgraphs['commerce-history']!.delivery!;
  await inProcessRelay.stop();
  child = await startCommerceHistoryProcess(graph.databaseUrl);
  child.kill('SIGSTOP');

  await store.recordOrder({ customerId: customer.id, channel: 'POS', quantity: 3, unitPrice: 700 });
  const outbox = graph.graph.subgraphs['commerce-history']!.db.sql;
  const [pending] =
    await outbox`select count(*)::int as n from commerce_history.outbox where published_at is null and type = 'order.recorded'`;
  expect(pending!.n).toBe(1);

  child.kill('SIGKILL');
  await new Promise((resolve) => child!.once('exit', resolve));
  child = undefined;

  await inProcessRelay.start();
  const METRICS = `query($id: ID!) { customer(id: $id) { metrics { orderCount totalSpent { amount } } } }`;
  await eventually(async () => {
    const { customer: found } = await store.data(METRICS, { id: customer.id });
    expect(found.metrics).toEqual({ orderCount: 1, totalSpent: { amount: 2100 } });
  }, 30_000);
});
