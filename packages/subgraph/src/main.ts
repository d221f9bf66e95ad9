import { databaseUrlFor } from '@cg/db';
import { startSubgraph, type SubgraphDefinition } from './subgraph.ts';
import type { BaseContext } from './context.ts';

/** Boots one subgraph as its own process: `<NAME>_DATABASE_URL` or `DATABASE_URL`, and `PORT`. */
export async function runSubgraphMain<T extends Record<string, unknown>, C extends BaseContext>(
  definition: SubgraphDefinition<T, C>,
): Promise<void> {
  const databaseUrl = databaseUrlFor(definition.name);
  if (!databaseUrl) {
    console.error(
      `Set ${definition.name.toUpperCase().replace(/-/g, '_')}_DATABASE_URL or DATABASE_URL (or use \`pnpm start\`).`,
    );
    process.exit(1);
  }
  const running = await startSubgraph(definition, {
    databaseUrl,
    port: Number(process.env.PORT ?? definition.defaultPort),
    host: process.env.HOST ?? '0.0.0.0',
    // The other subgraphs ask the customer subgraph about customers their directory lacks.
    ...(definition.name === 'customer'
      ? {}
      : { customerUrl: process.env.CUSTOMER_URL ?? 'http://localhost:4001/graphql' }),
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
