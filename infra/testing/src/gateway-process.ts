import { startServiceProcess, type ServiceProcess } from './child-process.ts';

/** The gateway run alone, as in production: `gateway/src/main.ts` in a process of its own. */
export type GatewayProcess = ServiceProcess;

/**
 * Starts a gateway process on an ephemeral loopback port with this process's keys, in front of
 * `subgraphUrls` (name → GraphQL URL, passed as `<NAME>_URL`), with live updates on
 * `customerDatabaseUrl`, the customer subgraph's database.
 */
export function startGatewayProcess(
  subgraphUrls: Record<string, string>,
  customerDatabaseUrl: string,
): Promise<GatewayProcess> {
  const urls = Object.fromEntries(
    Object.entries(subgraphUrls).map(([name, url]) => [`${name.toUpperCase().replace(/-/g, '_')}_URL`, url]),
  );
  return startServiceProcess('gateway/src/main.ts', 'gateway', { ...urls, CUSTOMER_DATABASE_URL: customerDatabaseUrl });
}
