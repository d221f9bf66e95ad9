import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestGraph, type TestGraph, type TestStore, launchChromium } from '@cg/testing';
import type { ExplorerOptions } from '../index.ts';

let graph: TestGraph;
let browser: Browser;
let store: TestStore;
const explorer: ExplorerOptions = {};

beforeAll(async () => {
  graph = await startTestGraph({ explorer });
  store = await graph.createStore('Explorer store');
  const { createCustomer } = await store.data(
    `mutation { createCustomer(input: { firstName: "Katherine", lastName: "Johnson", email: "katherine@example.com" }) { id } }`,
  );
  explorer.token = store.token;
  explorer.variables = { id: createCustomer.id };
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await graph?.close();
});

it('opens the explorer offline, runs the example customer query and shows data', async () => {
  const page = await browser.newPage();
  const origin = new URL(graph.gatewayUrl).origin;
  const foreignRequests: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(origin) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
      foreignRequests.push(request.url());
    }
  });

  await page.goto(graph.gatewayUrl);
  await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
  await page.locator('.graphiql-execute-button').click();
  // With several example operations GraphiQL asks which one to run.
  const choice = page.getByRole('menuitem', { name: 'CustomerDetail' });
  if (await choice.isVisible({ timeout: 2_000 }).catch(() => false)) await choice.click();

  const result = page.locator('.result-window');
  await expect.poll(() => result.innerText(), { timeout: 30_000 }).toContain('katherine@example.com');
  expect(foreignRequests).toEqual([]);
});

it('runs the example subscription over WebSocket and shows the summary change', async () => {
  const page = await browser.newPage();
  await page.goto(graph.gatewayUrl);
  await page.locator('.graphiql-execute-button').waitFor({ timeout: 30_000 });
  await page.locator('.graphiql-execute-button').click();
  await page.getByRole('menuitem', { name: 'CustomerSummary' }).click();

  const result = page.locator('.result-window');
  await expect.poll(() => result.innerText(), { timeout: 30_000 }).toContain('"orderCount": 0');
  await store.data(`mutation($input: RecordOrderInput!) { recordOrder(input: $input) { id } }`, {
    input: {
      number: 'EXPLORER01',
      customerId: explorer.variables!.id,
      channel: 'WEB',
      currency: 'EUR',
      items: [{ productId: 'p', name: 'Product', quantity: 1, unitPrice: 4200 }],
    },
  });
  await expect.poll(() => result.innerText(), { timeout: 30_000 }).toContain('"orderCount": 1');
  expect(await result.innerText()).toContain('"amount": 4200');
});
