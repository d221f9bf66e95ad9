/**
 * `pnpm start`: the whole graph on one machine. Makes its keys on the first run (kept in
 * .data/keys.json), starts an embedded PostgreSQL (data kept in .data/postgres) unless DATABASE_URL
 * names a server, applies every subgraph's migrations, loads demo data on the first run, starts the
 * four subgraphs and the gateway, and prints where to go.
 */
import { resolve } from 'node:path';
import { checkKeys, signToken } from '@cg/auth';
import { ensureDatabase, startEmbeddedPostgres, withDatabase, type EmbeddedDatabase } from '@cg/db';
import { startGraph } from '@cg/graph';
import type { ExplorerOptions } from '@cg/gateway';
import { DEMO_STAFF, explorerVariables, loadDemoData, demoStore } from './demo-data.ts';
import { useLocalKeys } from './local-keys.ts';

const root = resolve(import.meta.dirname, '../..');
const dataDir = resolve(root, process.env.DATA_DIR ?? '.data');
const gatewayPort = Number(process.env.PORT ?? 4000);

if (useLocalKeys(dataDir).created) console.log(`Made this checkout's keys (${resolve(dataDir, 'keys.json')})`);
checkKeys();

let embedded: EmbeddedDatabase | undefined;
let adminUrl = process.env.DATABASE_URL;
if (!adminUrl) {
  console.log(`Starting the embedded PostgreSQL (data in ${resolve(dataDir, 'postgres')})…`);
  embedded = await startEmbeddedPostgres({
    dataDir: resolve(dataDir, 'postgres'),
    port: Number(process.env.EMBEDDED_PG_PORT ?? 54329),
  });
  adminUrl = embedded.url;
}
const databaseUrl = withDatabase(adminUrl, process.env.DATABASE_NAME ?? 'customer_graph');
await ensureDatabase(adminUrl, new URL(databaseUrl).pathname.slice(1));

const explorer: ExplorerOptions = {};
const graph = await startGraph({
  databaseUrl,
  gatewayPort,
  // PORT=0: every port ephemeral (several launchers on one machine).
  subgraphPorts: gatewayPort !== 0,
  host: process.env.HOST,
  subgraphHost: process.env.SUBGRAPH_HOST,
  explorer,
}).catch(async (error: unknown) => {
  await embedded?.stop();
  throw error;
});

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  console.log('\nStopping…');
  await graph.close().catch((error: unknown) => console.error(error));
  await embedded?.stop().catch((error: unknown) => console.error(error));
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const customerDb = graph.subgraphs.customer.db.orm;
let store = await demoStore(graph.gateway.url, customerDb);
if (!store) {
  console.log('Loading demo data (first run)…');
  const customersPerStore = Number(process.env.DEMO_CUSTOMERS) || undefined;
  store = await loadDemoData(graph.gateway.url, customerDb, { customersPerStore });
}
const token = await signToken({ kind: 'staff', userId: DEMO_STAFF, storeId: store.store.id }, { expiresIn: '30d' });
Object.assign(explorer, { token, variables: explorerVariables(store) });

console.log(`
The customer graph is running.

  Explorer (open in a browser):  ${graph.gateway.url.replace('127.0.0.1', 'localhost')}
  GraphQL endpoint:              ${graph.gateway.url}
  Demo store:                    ${store.store.name} (${store.store.id})
  Staff token (30 days):         ${token}

  curl ${graph.gateway.url} -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${token}' \\
    -d '{"query":"{ customers(first: 10) { totalCount edges { node { fullName email } } } }"}'

Ctrl-C stops everything.`);
