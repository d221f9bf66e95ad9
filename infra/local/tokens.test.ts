import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGraph, type TestGraph } from '@cg/testing';
import { loadDemoData, type DemoStore } from './demo-data.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const run = promisify(execFile);

let graph: TestGraph;
let demo: DemoStore;
const dataDir = mkdtempSync(join(tmpdir(), 'cg-tokens-'));

beforeAll(async () => {
  graph = await startTestGraph();
  demo = await loadDemoData(graph.gatewayUrl, graph.graph.subgraphs.customer.db.orm, { customersPerStore: 10 });
  // The launcher's keys file, holding the keys this run's graph verifies with.
  writeFileSync(
    join(dataDir, 'keys.json'),
    JSON.stringify({ AUTH_SECRET: process.env.AUTH_SECRET, ASSERTION_SECRET: process.env.ASSERTION_SECRET }),
    { mode: 0o600 },
  );
}, 300_000);
afterAll(async () => {
  await graph?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

/** `pnpm tokens` as a developer runs it beside `pnpm start`: the keys from the data folder only. */
async function tokens(args: string[], folder = dataDir): Promise<string> {
  const database = new URL(graph.databaseUrl);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: folder,
    DATABASE_URL: graph.databaseUrl,
    DATABASE_NAME: database.pathname.slice(1),
    GATEWAY_URL: graph.gatewayUrl,
  };
  delete env.AUTH_SECRET;
  delete env.ASSERTION_SECRET;
  const { stdout } = await run(`${ROOT}/node_modules/.bin/tsx`, ['infra/local/tokens.ts', ...args], {
    cwd: ROOT,
    env,
  });
  return stdout;
}

const ask = (token: string, query: string) => graph.request(query, {}, { token });

describe('pnpm tokens', () => {
  it('prints staff, customer and guest tokens of the demo store that the graph accepts', async () => {
    const printed = JSON.parse(await tokens(['--json'])) as {
      store: { id: string };
      staff: { token: string };
      customer: { id: string; token: string };
      guest: { token: string; exampleOrderNumber: string };
    };
    expect(printed.store.id).toBe(demo.store.id);

    const staff = await ask(printed.staff.token, '{ customers(first: 1) { totalCount } }');
    expect(staff.errors).toBeUndefined();
    expect(staff.data.customers.totalCount).toBe(10);

    expect(printed.customer.id).toBe(demo.exampleCustomerId);
    const me = await ask(printed.customer.token, '{ me { id orders(first: 1) { totalCount } } }');
    expect(me.errors).toBeUndefined();
    expect(me.data.me).toEqual({ id: demo.exampleCustomerId, orders: { totalCount: 12 } });

    const number = printed.guest.exampleOrderNumber;
    expect(number).toMatch(/^[A-Z0-9]{10}$/);
    const guest = await ask(printed.guest.token, `{ guestOrders(numbers: ["${number}"]) { number } }`);
    expect(guest.errors).toBeUndefined();
    expect(guest.data.guestOrders).toEqual([{ number }]);
    // A guest token, not another staff one: the store's customers stay closed to it.
    const refused = await ask(printed.guest.token, '{ customers(first: 1) { totalCount } }');
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('prints the same tokens for people, with a curl line for the customer and the guest', async () => {
    const text = await tokens([]);
    const staff = /Staff \(demo-staff, owner\):\s+(\S+)/.exec(text)?.[1];
    const customer = /Customer \([^)]*\):\s+(\S+)/.exec(text)?.[1];
    const guest = /Guest \(a storefront session\):\s+(\S+)/.exec(text)?.[1];
    expect((await ask(staff!, '{ customers(first: 1) { totalCount } }')).errors).toBeUndefined();
    expect((await ask(customer!, '{ me { id } }')).data.me.id).toBe(demo.exampleCustomerId);
    expect(text).toContain(`authorization: Bearer ${guest}`);
    expect(text).toContain('guestOrders(numbers:');
  });

  it('refuses to run without the launcher keys, rather than sign with keys nothing accepts', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cg-tokens-none-'));
    chmodSync(empty, 0o700);
    try {
      await expect(tokens([], empty)).rejects.toMatchObject({
        code: 1,
        stderr: expect.stringContaining('run `pnpm start` once first'),
      });
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
