import { checkKeys, MissingKeysError } from '@cg/auth';
import { databaseUrlFor } from '@cg/db';
import { startSubgraph, type SubgraphDefinition } from './subgraph.ts';
import type { BaseContext } from './context.ts';

/**
 * Boots one subgraph as its own process: `<NAME>_DATABASE_URL` or `DATABASE_URL`, `PORT`, `HOST`
 * (loopback unless a private interface is named: only the gateway may reach it) and
 * `DATABASE_POOL_SIZE`, the connections of its request pool (default 10).
 */
export async function runSubgraphMain<T extends Record<string, unknown>, C extends BaseContext>(
  definition: SubgraphDefinition<T, C>,
): Promise<void> {
  try {
    checkKeys();
    definition.checkKeys?.();
  } catch (error) {
    if (!(error instanceof MissingKeysError)) throw error;
    console.error(`The ${definition.name} subgraph cannot start. ${error.message}`);
    process.exit(1);
  }
  const databaseUrl = databaseUrlFor(definition.name);
  if (!databaseUrl) {
    console.error(
      `Set ${definition.name.toUpperCase().replace(/-/g, '_')}_DATABASE_URL or DATABASE_URL (or use \`pnpm start\`).`,
    );
    process.exit(1);
  }
  const poolSize = process.env.DATABASE_POOL_SIZE?.trim();
  if (poolSize && !(Number.isSafeInteger(Number(poolSize)) && Number(poolSize) >= 1)) {
    console.error(`DATABASE_POOL_SIZE must be a positive integer, got ${JSON.stringify(poolSize)}.`);
    process.exit(1);
  }
  const running = await startSubgraph(definition, {
    databaseUrl,
    // Replicas share the server's connections: each process's pool must fit its share.
    ...(poolSize ? { poolSize: Number(poolSize) } : {}),
    port: Number(process.env.PORT ?? definition.defaultPort),
    host: process.env.HOST ?? '127.0.0.1',
    // The other subgraphs ask the customer subgraph about customers their directory lacks.
    ...(definition.name === 'customer'
      ? {}
      : { customerUrl: process.env.CUSTOMER_URL ?? 'http://127.0.0.1:4001/graphql' }),
  });
  console.log(`${definition.name} subgraph at ${running.url}`);
  const stop = () => {
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
