import { runInNewContext } from 'node:vm';
import { Kind, parse, type OperationDefinitionNode } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken } from '@cg/auth';
import { EXAMPLE_OPERATIONS, type ExplorerOptions } from '@cg/gateway';
import { startTestGraph, type TestGraph } from '@cg/testing';
import { DEMO_STAFF, demoStore, explorerVariables, loadDemoData, type DemoStore } from './demo-data.ts';

/**
 * Every operation the explorer opens with, against a graph holding the demo data of `pnpm start`,
 * sent as the explorer page sends it: its own script runs here (GraphiQL and React stubbed) and its
 * fetcher gets the editor's text, the Variables pane and the Headers pane the launcher fills in.
 * Mutations run twice: pressing ▶ again must work as well.
 */
const operations = parse(EXAMPLE_OPERATIONS).definitions.filter(
  (definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION,
);

interface Params {
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
}
interface Result {
  data?: unknown;
  errors?: unknown[];
}
type Fetcher = (params: Params, options: { headers: Record<string, string> }) => Promise<Result>;
interface Tab {
  query: string;
  variables?: string;
  headers: string;
}

const explorer: ExplorerOptions = {};
let graph: TestGraph;
let demo: DemoStore;
let page: { fetcher: Fetcher; tab: Tab };
/** What the page's fetcher handed GraphiQL's, after its own changes. */
const sent: Params[] = [];

beforeAll(async () => {
  graph = await startTestGraph({ explorer });
  demo = await loadDemoData(graph.gatewayUrl, graph.graph.subgraphs.customer.db.orm);
  // As `pnpm start` fills them in.
  explorer.token = await signToken({ kind: 'staff', userId: DEMO_STAFF, storeId: demo.store.id }, { expiresIn: '1h' });
  explorer.variables = explorerVariables(demo);
  page = await openExplorer();
}, 300_000);
afterAll(() => graph?.close());

/** Loads the explorer page and runs its script, with GraphiQL's fetcher calling the gateway. */
async function openExplorer(): Promise<{ fetcher: Fetcher; tab: Tab }> {
  const response = await fetch(graph.gatewayUrl, { headers: { accept: 'text/html' } });
  const html = await response.text();
  const inline = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]).join('\n');
  let props: { fetcher: Fetcher; defaultTabs: Tab[] } | undefined;
  const url = new URL(graph.gatewayUrl);
  const graphqlFetcher: Fetcher = (params, options) => {
    sent.push(params);
    const operation = parse(params.query).definitions.find(
      (definition): definition is OperationDefinitionNode =>
        definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === params.operationName,
    );
    return operation?.operation === 'subscription'
      ? firstResult(params, options.headers)
      : post(params, options.headers);
  };
  runInNewContext(inline, {
    location: { protocol: url.protocol, host: url.host, pathname: url.pathname },
    document: { getElementById: () => ({}) },
    GraphiQL: Object.assign(() => null, { createFetcher: () => graphqlFetcher }),
    React: { createElement: (_component: unknown, elementProps: typeof props) => elementProps },
    ReactDOM: { createRoot: () => ({ render: (element: typeof props) => void (props = element) }) },
  });
  return { fetcher: props!.fetcher, tab: props!.defaultTabs[0]! };
}

async function post(params: Params, headers: Record<string, string>): Promise<Result> {
  const response = await fetch(graph.gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(params),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as Result;
}

/** The first result of a subscription over graphql-ws, the Headers pane as connection_init's payload. */
async function firstResult(params: Params, headers: Record<string, string>): Promise<Result> {
  const client = createClient({
    url: graph.gatewayUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    connectionParams: headers,
    retryAttempts: 0,
  });
  try {
    const results = client.iterate(params);
    const first = await results.next();
    await results.return?.();
    if (first.done) throw new Error(`${params.operationName} completed without a result`);
    return first.value as Result;
  } finally {
    await client.dispose();
  }
}

/** Presses ▶ on operation `name`, as GraphiQL calls the page's fetcher. */
function run(name: string): Promise<Result> {
  const { tab, fetcher } = page;
  return fetcher(
    { query: tab.query, operationName: name, variables: tab.variables ? JSON.parse(tab.variables) : undefined },
    { headers: JSON.parse(tab.headers) as Record<string, string> },
  );
}

/** Paths of the connections that came back without an edge: an example should show something. */
function emptyConnections(value: unknown, path = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((item, index) => emptyConnections(item, `${path}.${index}`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) =>
    key === 'edges' && Array.isArray(item) && item.length === 0
      ? [`${path}.edges`]
      : emptyConnections(item, path ? `${path}.${key}` : key),
  );
}

const rootFields = (result: Result) => Object.values(result.data as Record<string, unknown>);

describe('the explorer examples', () => {
  it('are the seven operations the explorer describes, with the demo token and customer', () => {
    expect(operations.map((operation) => [operation.operation, operation.name?.value])).toEqual([
      ['query', 'CustomerDetail'],
      ['query', 'CustomerList'],
      ['query', 'ReferenceCodes'],
      ['query', 'Guests'],
      ['query', 'CustomerDataExport'],
      ['subscription', 'CustomerSummary'],
      ['mutation', 'CreateCustomer'],
    ]);
    expect(page.tab.query).toBe(EXAMPLE_OPERATIONS);
    expect(JSON.parse(page.tab.variables!)).toEqual({ id: demo.exampleCustomerId });
    expect(JSON.parse(page.tab.headers)).toEqual({ Authorization: `Bearer ${explorer.token}` });
  });

  it('open on the same customer on later runs of the launcher, which find the demo store again', async () => {
    const again = await demoStore(graph.gatewayUrl, graph.graph.subgraphs.customer.db.orm);
    expect(again).toEqual(demo);
  });

  for (const operation of operations.filter((definition) => definition.operation === 'query')) {
    const name = operation.name!.value;
    it(`${name} answers from the demo data without an error`, async () => {
      const result = await run(name);
      expect(result.errors).toBeUndefined();
      expect(rootFields(result).every((field) => field !== null)).toBe(true);
      expect(emptyConnections(result.data)).toEqual([]);
    });
  }

  for (const operation of operations.filter((definition) => definition.operation === 'subscription')) {
    const name = operation.name!.value;
    it(`${name} emits the demo customer's summary over graphql-ws without an error`, async () => {
      const result = await run(name);
      expect(result.errors).toBeUndefined();
      expect(rootFields(result).every((field) => field !== null)).toBe(true);
    });
  }

  for (const operation of operations.filter((definition) => definition.operation === 'mutation')) {
    const name = operation.name!.value;
    it(`${name} succeeds, and succeeds again`, async () => {
      const first = await run(name);
      expect(first.errors).toBeUndefined();
      const again = await run(name);
      expect(again.errors).toBeUndefined();
      const [a, b] = [first, again].map((result) => rootFields(result)[0] as { id: string });
      expect(a!.id).toBeTruthy();
      expect(b!.id).not.toBe(a!.id);
      // Sent twice as written but for {fresh}, which the page made new for each run.
      const tokens = sent.slice(-2).map((params) => {
        const token = /grace\.hopper\.(\w+)@/.exec(params.query)?.[1];
        expect(params.query).toBe(page.tab.query.replaceAll('{fresh}', token!));
        return token;
      });
      expect(new Set(tokens).size).toBe(2);
    });
  }
});
