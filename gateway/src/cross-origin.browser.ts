import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startTestGraph, type TestGraph, type TestStore, launchChromium } from '@cg/testing';
import { EXAMPLE_OPERATIONS } from './explorer/explorer.ts';

let graph: TestGraph;
let store: TestStore;
let browser: Browser;
let customerId: string;
const pages: Server[] = [];
let allowed: string;
let disallowed: string;

/** An admin console's page, served from an origin of its own (another port). */
async function pageServer(): Promise<string> {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><title>Console</title>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pages.push(server);
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  allowed = await pageServer();
  disallowed = await pageServer();
  // Loopback is allowed by default outside production; here only the listed origin is.
  graph = await startTestGraph({ cors: { origins: [allowed], development: false } });
  store = await graph.createStore('Console store');
  customerId = (await store.createCustomer({ email: 'grace@example.com' })).id;
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await graph?.close();
  await Promise.all(pages.map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Runs the customer detail from a page of `origin` with the store's bearer token, as a console would. */
async function customerDetailFrom(origin: string) {
  const page = await browser.newPage();
  await page.goto(`${origin}/`);
  return page.evaluate(
    async ({ url, token, query, id }) => {
      try {
        const response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
          body: JSON.stringify({ query, operationName: 'CustomerDetail', variables: { id } }),
        });
        return { status: response.status, body: await response.json() };
      } catch (error) {
        return { rejected: String(error) };
      }
    },
    { url: graph.gatewayUrl, token: store.token, query: EXAMPLE_OPERATIONS, id: customerId },
  );
}

it('runs the customer detail from a page of an allowed origin', async () => {
  const result = await customerDetailFrom(allowed);
  expect(result).toMatchObject({
    status: 200,
    body: { data: { customer: { id: customerId, email: 'grace@example.com' } } },
  });
  expect((result as { body: { errors?: unknown } }).body.errors).toBeUndefined();
});

it('refuses a page of any other origin: its fetch rejects', async () => {
  const result = await customerDetailFrom(disallowed);
  expect(result).toEqual({ rejected: expect.stringContaining('Failed to fetch') });
});
