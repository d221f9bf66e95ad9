import { startServiceProcess, type ServiceProcess } from './child-process.ts';

/** A subgraph run alone, as in production: `services/<name>/src/main.ts` in a process of its own. */
export interface SubgraphProcess extends ServiceProcess {
  name: string;
}

/**
 * Starts a subgraph's own process on `databaseUrl`, on an ephemeral loopback port, with this
 * process's keys. `customerUrl`: where the others look up customers their directory lacks;
 * `poolSize`: the connections of its request pool (`DATABASE_POOL_SIZE`); `eventsConcurrency`: the
 * event jobs its consumer runs at once (`EVENTS_CONCURRENCY`).
 */
export async function startSubgraphProcess(
  name: string,
  databaseUrl: string,
  options: { customerUrl?: string; poolSize?: number; eventsConcurrency?: number } = {},
): Promise<SubgraphProcess> {
  const running = await startServiceProcess(`services/${name}/src/main.ts`, `${name} subgraph`, {
    DATABASE_URL: databaseUrl,
    ...(options.customerUrl ? { CUSTOMER_URL: options.customerUrl } : {}),
    ...(options.poolSize ? { DATABASE_POOL_SIZE: String(options.poolSize) } : {}),
    ...(options.eventsConcurrency ? { EVENTS_CONCURRENCY: String(options.eventsConcurrency) } : {}),
  });
  return { ...running, name };
}
