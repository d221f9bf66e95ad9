import { databaseUrlFor } from '@cg/db';
import { startSubgraph, type RunningSubgraph } from '@cg/subgraph';
import { startGateway, type GatewayOptions, type RunningGateway } from '@cg/gateway';
import { subgraphs } from './subgraphs.ts';
import type { customerSubgraph } from '@cg/customer';

export interface GraphOptions {
  /** Used by every subgraph unless `<NAME>_DATABASE_URL` names another for one of them. */
  databaseUrl: string;
  gatewayPort?: number;
  /**
   * Fixed ports for the subgraphs: `true` for each one's default port, or a port per subgraph name
   * (the launcher); ephemeral when omitted (tests).
   */
  subgraphPorts?: boolean | Record<string, number>;
  /** Where the gateway listens (loopback unless given). */
  host?: string;
  /**
   * Where the subgraphs listen: loopback unless a private interface is named. They answer only
   * the gateway's assertions anyway; this keeps them off public interfaces too.
   */
  subgraphHost?: string;
  explorer?: GatewayOptions['explorer'];
  /** The gateway's request limits, over the environment's and the defaults. */
  limits?: GatewayOptions['limits'];
  /** Origins whose browser pages may call the gateway, over `CORS_ORIGINS`. */
  cors?: GatewayOptions['cors'];
  /** Told how long each step took: `<subgraph> migrations`, `<subgraph> up`, `gateway up`. */
  onStep?: (step: string, ms: number, url?: string) => void;
}

export interface RunningGraph {
  gateway: RunningGateway;
  subgraphs: Record<string, RunningSubgraph> & {
    customer: RunningSubgraph<(typeof customerSubgraph)['tables']>;
  };
  close(): Promise<void>;
}

/** Starts the four subgraphs and the gateway in this process, each with its own pool. */
export async function startGraph(options: GraphOptions): Promise<RunningGraph> {
  const running: RunningSubgraph[] = [];
  try {
    for (const definition of subgraphs) {
      // The customer subgraph comes first; the others ask it about customers their directory lacks.
      const customerUrl = running.find((subgraph) => subgraph.name === 'customer')?.url;
      const ports = options.subgraphPorts;
      let upMs = 0;
      const subgraph = await startSubgraph(definition as never, {
        databaseUrl:
          databaseUrlFor(definition.name, { ...process.env, DATABASE_URL: options.databaseUrl }) ?? options.databaseUrl,
        port: typeof ports === 'object' ? (ports[definition.name] ?? 0) : ports ? definition.defaultPort : 0,
        host: options.subgraphHost ?? '127.0.0.1',
        ...(customerUrl ? { customerUrl } : {}),
        onStep: (step, ms) =>
          step === 'migrations' ? options.onStep?.(`${definition.name} migrations`, ms) : (upMs = ms),
      });
      running.push(subgraph);
      options.onStep?.(`${definition.name} up`, upMs, subgraph.url);
    }
    const gatewayStart = performance.now();
    const gateway = await startGateway({
      subgraphUrls: Object.fromEntries(running.map((subgraph) => [subgraph.name, subgraph.url])),
      port: options.gatewayPort ?? 0,
      host: options.host,
      explorer: options.explorer,
      limits: options.limits,
      cors: options.cors,
      // Live updates are announced in the customer subgraph's database (LISTEN/NOTIFY stays in one database).
      liveUpdates: {
        databaseUrl:
          databaseUrlFor('customer', { ...process.env, DATABASE_URL: options.databaseUrl }) ?? options.databaseUrl,
      },
    });
    options.onStep?.('gateway up', performance.now() - gatewayStart, gateway.url);
    return {
      gateway,
      subgraphs: Object.fromEntries(running.map((subgraph) => [subgraph.name, subgraph])) as RunningGraph['subgraphs'],
      async close() {
        await gateway.close();
        await Promise.all(running.map((subgraph) => subgraph.close()));
      },
    };
  } catch (error) {
    await Promise.all(running.map((subgraph) => subgraph.close().catch(() => {})));
    throw error;
  }
}
