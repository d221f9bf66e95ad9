import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { signToken, type Principal } from '@cg/auth';
import { connect, dropDatabase, ensureDatabase, withDatabase, type Database } from '@cg/db';
import { createStore, customerSubgraph } from '@cg/customer';
import { subgraphs, type SubgraphName } from '@cg/graph';
import { startBalancer, type Balancer } from './balancer.ts';
import { startGatewayProcess, type GatewayProcess } from './gateway-process.ts';
import { gatewayRequest, testStore, undeliveredEvents, type TestGraph, type TestStore } from './graph.ts';
import { startSubgraphProcess, type SubgraphProcess } from './subgraph-process.ts';

/**
 * The eight subgraph processes share the server's connections (100 by default in PostgreSQL). With
 * the defaults each may open up to 27: requests 10, routes 4, health 1, jobs 3 and their LISTEN,
 * the relay's 2 and the consumer's 6, so the pools are made smaller (see the README).
 */
const DEFAULT_POOL_SIZE = 2;
const DEFAULT_EVENTS_CONCURRENCY = 2;

/** One gateway process of the scaled graph, and a client of it. */
export interface ScaledGateway {
  url: string;
  process: GatewayProcess;
  request: TestGraph['request'];
  /** `store` as its tests use it, with every request through this gateway. */
  store(store: TestStore): TestStore;
}

/** The processes of one subgraph and the balancer every caller reaches them through. */
export interface ScaledSubgraph {
  balancer: Balancer;
  processes: SubgraphProcess[];
}

export interface ScaledGraph {
  databaseUrl: string;
  gateways: ScaledGateway[];
  subgraphs: Record<SubgraphName, ScaledSubgraph>;
  /** The test's own connection to the graph's database (as its owner: no row-level security). */
  db: Database<(typeof customerSubgraph)['tables']>;
  /** A store whose owner is the token's user; its requests go through the first gateway. */
  createStore(name?: string, options?: { currency?: string; principal?: Partial<Principal> }): Promise<TestStore>;
  /** Events recorded so far that some consumer has not applied yet (see `TestGraph.undelivered`). */
  undelivered(): Promise<number>;
  /** GraphQL requests (`/graphql`, `/access`, `/directory`…) each process of each subgraph received. */
  requestsServed(): Record<SubgraphName, number[]>;
  /** Connections to the graph's database now, from every process and the test's own. */
  connections(): Promise<number>;
  /** What every process printed, each under its name: for a failing test's report. */
  logs(): string;
  close(): Promise<void>;
}

/**
 * The graph scaled out on one PostgreSQL database: `replicas` processes of each subgraph (each with
 * its own port, event relay and consumer, sharing the database and the graphile-worker queue),
 * each subgraph behind a round-robin balancer, and `gateways` gateway processes reaching every
 * subgraph, the customer subgraph's `/access` and `/directory` included, through its balancer.
 * Nothing is shared between processes but the database, as in a deployment with replicas.
 */
export async function startScaledGraph(
  options: { replicas?: number; gateways?: number; poolSize?: number; eventsConcurrency?: number } = {},
): Promise<ScaledGraph> {
  const replicas = options.replicas ?? 2;
  const poolSize = options.poolSize ?? DEFAULT_POOL_SIZE;
  const eventsConcurrency = options.eventsConcurrency ?? DEFAULT_EVENTS_CONCURRENCY;
  const gatewayCount = options.gateways ?? 2;
  const adminUrl = inject('adminDatabaseUrl');
  const database = `cg_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await ensureDatabase(adminUrl, database);
  const databaseUrl = withDatabase(adminUrl, database);

  const children: SubgraphProcess[] = [];
  const balancers: Balancer[] = [];
  const gatewayProcesses: GatewayProcess[] = [];
  let db: ScaledGraph['db'] | undefined;
  const stopAll = async () => {
    await Promise.all(gatewayProcesses.map((gateway) => gateway.stop()));
    await Promise.all(children.map((child) => child.stop()));
    await Promise.all(balancers.map((balancer) => balancer.close()));
    await db?.close();
    await dropDatabase(adminUrl, database);
  };

  try {
    /** Every replica of `name` at once, as a deployment starts them (their migrations take turns). */
    const scale = async (name: SubgraphName, customerUrl?: string): Promise<ScaledSubgraph> => {
      const processes = await Promise.all(
        Array.from({ length: replicas }, async () => {
          const child = await startSubgraphProcess(name, databaseUrl, {
            poolSize,
            eventsConcurrency,
            ...(customerUrl ? { customerUrl } : {}),
          });
          children.push(child);
          return child;
        }),
      );
      const balancer = await startBalancer(processes.map((child) => child.url));
      balancers.push(balancer);
      return { balancer, processes };
    };
    // The others ask the customer subgraph about customers their directory lacks, through its balancer.
    const customer = await scale('customer');
    const others = await Promise.all(
      subgraphs
        .map((definition) => definition.name)
        .filter((name) => name !== 'customer')
        .map(async (name) => [name, await scale(name, customer.balancer.url)] as const),
    );
    const scaled = Object.fromEntries([['customer', customer], ...others]) as Record<SubgraphName, ScaledSubgraph>;
    const urls = Object.fromEntries(Object.entries(scaled).map(([name, subgraph]) => [name, subgraph.balancer.url]));
    gatewayProcesses.push(
      ...(await Promise.all(Array.from({ length: gatewayCount }, () => startGatewayProcess(urls, databaseUrl)))),
    );
    db = connect({ url: databaseUrl, schema: customerSubgraph.tables, max: 2, applicationName: 'scaled-graph-test' });
    const gateways = gatewayProcesses.map((process): ScaledGateway => {
      const request = gatewayRequest(process.url);
      return { url: process.url, process, request, store: (store) => testStore(store, request) };
    });

    return {
      databaseUrl,
      gateways,
      subgraphs: scaled,
      db,
      async createStore(name = `Store ${randomUUID().slice(0, 8)}`, storeOptions = {}) {
        const userId = storeOptions.principal?.userId ?? randomUUID();
        const currency = storeOptions.currency ?? 'EUR';
        const row = await createStore(db!.orm, { name, currency, ownerUserId: userId });
        const token = await signToken({ kind: 'staff', userId, storeId: row.id, ...storeOptions.principal });
        return testStore({ id: row.id, name, currency, token, ownerId: userId }, gateways[0]!.request);
      },
      undelivered: () => undeliveredEvents(db!.sql),
      async connections() {
        const [row] = await db!.sql<{ n: number }[]>`
          select count(*)::int as n from pg_stat_activity where datname = current_database()`;
        return row!.n;
      },
      requestsServed: () =>
        Object.fromEntries(
          Object.entries(scaled).map(([name, subgraph]) => [
            name,
            subgraph.balancer.requests().map((byPath) => Object.values(byPath).reduce((sum, n) => sum + n, 0)),
          ]),
        ) as Record<SubgraphName, number[]>,
      logs: () =>
        [
          ...gatewayProcesses.map((gateway, i) => [`gateway #${i + 1}`, gateway.output()] as const),
          ...Object.entries(scaled).flatMap(([name, subgraph]) =>
            subgraph.processes.map((child, i) => [`${name} #${i + 1}`, child.output()] as const),
          ),
        ]
          .filter(([, output]) => output.trim())
          .map(([name, output]) => `--- ${name}\n${output.trim()}`)
          .join('\n'),
      close: stopAll,
    };
  } catch (error) {
    await stopAll().catch(() => {});
    throw error;
  }
}
