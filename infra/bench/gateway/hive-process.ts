/**
 * Hive Gateway (`@graphql-hive/gateway-runtime`) on the same supergraph, with its JavaScript query
 * planner or, with `planner: 'rust'`, Hive Router's Rust query planner (`@graphql-hive/router-runtime`).
 * A plugin adds the headers our subgraphs require to every subgraph fetch (subgraph-headers.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayContext } from '@cg/gateway';
import type { GatewaySettings } from './ours-process.ts';
import { announce, processSettings } from './processes.ts';
import { accessUrlOf, operationContext, subgraphHeaders } from './subgraph-headers.ts';

const settings = processSettings<GatewaySettings & { planner: 'js' | 'rust' }>();
const accessUrl = accessUrlOf(settings.subgraphUrls.customer!);

/** What this file uses of Hive's API. */
interface FetchHook {
  context: object;
  options: { headers?: unknown };
  setOptions(options: { headers: Record<string, string> }): void;
}
interface HiveGateway {
  (req: IncomingMessage, res: ServerResponse): void;
  dispose(): Promise<void>;
}

// Hive's type declarations pull in the DOM's (`@whatwg-node/fetch`), whose fetch types contradict
// Node's in the rest of the program; so its modules are loaded by a name the type checker does not follow.
const load = (name: string) => import(name) as Promise<Record<string, any>>;
const { createGatewayRuntime } = await load('@graphql-hive/gateway-runtime');
const { unifiedGraphHandler } = await load('@graphql-hive/router-runtime');

// One context per client request, however many subgraph fetches it makes.
const operations = new WeakMap<object, Promise<GatewayContext>>();

const subgraphAuth = {
  async onFetch({ context, options, setOptions }: FetchHook) {
    const req = (context as { req?: IncomingMessage }).req;
    const request = (context as { request?: object }).request;
    if (!req || !request) return;
    let operation = operations.get(request);
    if (!operation) operations.set(request, (operation = operationContext(req)));
    const headers = new Headers(options.headers as ConstructorParameters<typeof Headers>[0]);
    for (const [name, value] of Object.entries(await subgraphHeaders(await operation, accessUrl)))
      headers.set(name, value);
    setOptions({ ...options, headers: Object.fromEntries(headers) });
  },
};

const gateway = createGatewayRuntime({
  supergraph: settings.supergraphPath,
  logging: 'error',
  ...(settings.planner === 'rust' ? { unifiedGraphHandler } : {}),
  // Hive shares one subgraph answer among identical subgraph queries in flight. The load repeats a
  // few requests, which real traffic does not (nor do ours and Apollo's), so that is off here.
  transportEntries: { '*.http': { options: { deduplicateInflightRequests: false } } },
  plugins: () => [subgraphAuth],
}) as HiveGateway;
const server = createServer(gateway);
await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
const { port } = server.address() as AddressInfo;
announce(`http://127.0.0.1:${port}/graphql`, async () => {
  await new Promise<void>((closed) => server.close(() => closed()));
  await gateway.dispose();
});
