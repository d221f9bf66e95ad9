/**
 * `pnpm start`: the whole graph on one machine. Makes its keys on the first run (kept in
 * .data/keys.json), starts an embedded PostgreSQL (data kept in .data/postgres) unless DATABASE_URL
 * names a server, applies every subgraph's migrations, loads demo data on the first run, starts the
 * four subgraphs and the gateway, and prints where to go; each step with how long it took.
 *
 * Ctrl-C or SIGTERM stops the gateway, then the subgraphs, then the embedded PostgreSQL; a second
 * signal (a second after the first) exits at once.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { checkKeys, signToken } from '@cg/auth';
import {
  EmbeddedInUseError,
  ensureDatabase,
  isConnectionLoss,
  startEmbeddedPostgres,
  withDatabase,
  type EmbeddedDatabase,
} from '@cg/db';
import { startGraph, subgraphs, type RunningGraph } from '@cg/graph';
import type { ExplorerOptions } from '@cg/gateway';
import { DEMO_STAFF, explorerVariables, loadDemoData, demoStore } from './demo-data.ts';
import { useLocalKeys } from './local-keys.ts';
import { PortInUseError, checkPortsFree, isAddressInUse } from './ports.ts';
import { quietConnectionLossFromNowOn } from './quiet-stop.ts';

const root = resolve(import.meta.dirname, '../..');
const dataDir = resolve(root, process.env.DATA_DIR ?? '.data');
const gatewayPort = Number(process.env.PORT ?? 4000);
const embeddedPort = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
const host = process.env.HOST ?? '127.0.0.1';
const subgraphHost = process.env.SUBGRAPH_HOST ?? '127.0.0.1';
/** The subgraphs take the ports after the gateway's (4001–4004); PORT=0 makes every port ephemeral. */
const subgraphPorts = Object.fromEntries(
  subgraphs.map((definition, index) => [definition.name, gatewayPort === 0 ? 0 : gatewayPort + index + 1]),
);
/** How long the graph, then the database, may take to stop before they are cut short (or left to the exit). */
const STOP_TIMEOUT_MS = 5000;
/** The terminal sends Ctrl-C to pnpm and to this process, and pnpm passes its copy on. */
const REPEAT_WINDOW_MS = 1000;

let graph: RunningGraph | undefined;
let embedded: EmbeddedDatabase | undefined;
let stopping: Promise<void> | undefined;
let firstSignalAt = 0;

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
function done(step: string, ms: number, detail = '') {
  console.log(`  ${step.padEnd(30)} ${seconds(ms).padStart(7)}${detail ? `  ${detail}` : ''}`);
}
async function timed<T>(step: string, work: () => Promise<T>, detail?: (result: T) => string): Promise<T> {
  const start = performance.now();
  const result = await work();
  done(step, performance.now() - start, detail?.(result));
  return result;
}

function onSignal(signal: NodeJS.Signals) {
  if (!stopping) {
    firstSignalAt = performance.now();
    stopping = stop(signal);
    return;
  }
  if (performance.now() - firstSignalAt < REPEAT_WINDOW_MS) return;
  console.log('Stopping at once.');
  embedded?.kill();
  process.exit(130);
}
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

/**
 * Stops what has started, in order, within a few seconds. Lost connections are expected here (a
 * database stopped from outside, say) and are not reported; anything else is, in one line.
 */
async function stop(signal?: NodeJS.Signals) {
  quietConnectionLossFromNowOn();
  if (signal) console.log(`\nStopping (${signal})…`);
  else if (graph || embedded) console.log('Stopping what had started…');
  const running = graph;
  if (running) await timed('graph stopped', () => settle(running.close(), 'the graph'));
  if (embedded) {
    const database = embedded;
    await timed('database stopped', () => settle(database.stop(STOP_TIMEOUT_MS - 1000), 'the database'));
  }
  process.exit(signal ? 0 : 1);
}

async function settle(work: Promise<void>, what: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'late'>((resolve) => (timer = setTimeout(resolve, STOP_TIMEOUT_MS, 'late')));
  try {
    if ((await Promise.race([work, late])) === 'late') console.log(`  ${what} did not stop in time; going on`);
  } catch (error) {
    if (!isConnectionLoss(error)) console.error(`  ${what} stopped with: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
  }
}

/** A start that failed for a usual reason says why in a sentence; anything else keeps its stack. */
function explain(error: unknown): string {
  if (error instanceof PortInUseError) return error.message;
  if (error instanceof EmbeddedInUseError) {
    return error.port
      ? new PortInUseError(error.port, 'the embedded PostgreSQL').message
      : `The embedded PostgreSQL cannot start: ${error.message} — is another \`pnpm start\` still running?`;
  }
  if (isAddressInUse(error) && error.port) return new PortInUseError(error.port, 'a server of the graph').message;
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

async function main() {
  const started = performance.now();
  if (useLocalKeys(dataDir).created) console.log(`Made this checkout's keys (${resolve(dataDir, 'keys.json')})`);
  checkKeys();

  let adminUrl = process.env.DATABASE_URL;
  await checkPortsFree([
    ...(adminUrl ? [] : [{ port: embeddedPort, host: '127.0.0.1', what: 'the embedded PostgreSQL' }]),
    ...subgraphs.map((definition) => ({
      port: subgraphPorts[definition.name]!,
      host: subgraphHost,
      what: `the ${definition.name} subgraph`,
    })),
    { port: gatewayPort, host, what: 'the gateway' },
  ]);

  console.log('Starting the customer graph…');
  if (!adminUrl) {
    const folder = resolve(dataDir, 'postgres');
    const fresh = !existsSync(resolve(folder, 'PG_VERSION'));
    embedded = await timed(
      fresh ? 'database initialised and up' : 'database up',
      () => startEmbeddedPostgres({ dataDir: folder, port: embeddedPort }),
      (database) => `port ${database.port}, data in ${folder}`,
    );
    adminUrl = embedded.url;
  }
  const databaseUrl = withDatabase(adminUrl, process.env.DATABASE_NAME ?? 'customer_graph');
  await ensureDatabase(adminUrl, new URL(databaseUrl).pathname.slice(1));

  const explorer: ExplorerOptions = {};
  graph = await startGraph({
    databaseUrl,
    gatewayPort,
    subgraphPorts,
    host,
    subgraphHost,
    explorer,
    onStep: (step, ms, url) => done(step, ms, url),
  });

  const customerDb = graph.subgraphs.customer.db.orm;
  const gatewayUrl = graph.gateway.url;
  let store = await demoStore(gatewayUrl, customerDb);
  if (!store) {
    const customersPerStore = Number(process.env.DEMO_CUSTOMERS) || undefined;
    console.log('  loading the demo data (first run), through the gateway…');
    store = await timed('demo data loaded (first run)', () =>
      loadDemoData(gatewayUrl, customerDb, {
        customersPerStore,
        onStore: (name, customers, ms) => done(`  ${name}`, ms, `${customers} customers`),
      }),
    );
  }
  const token = await signToken({ kind: 'staff', userId: DEMO_STAFF, storeId: store.store.id }, { expiresIn: '30d' });
  Object.assign(explorer, { token, variables: explorerVariables(store) });
  done('ready', performance.now() - started);

  console.log(`
The customer graph is running.

  Explorer (open in a browser):  ${gatewayUrl.replace('127.0.0.1', 'localhost')}
  GraphQL endpoint:              ${gatewayUrl}
  Demo store:                    ${store.store.name} (${store.store.id})
  Staff token (30 days):         ${token}

  curl ${gatewayUrl} -H 'content-type: application/json' \\
    -H 'authorization: Bearer ${token}' \\
    -d '{"query":"{ customers(first: 10) { totalCount edges { node { fullName email } } } }"}'

Ctrl-C stops everything.`);
}

main().catch(async (error: unknown) => {
  // A signal during the start: its stop is under way and ends the process.
  if (stopping) return;
  console.error(explain(error));
  stopping = stop();
});
