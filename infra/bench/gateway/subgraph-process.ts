/** One subgraph in its own process, as in production (NODE_ENV=production, its own pool). */
import { subgraphs } from '@cg/graph';
import { startSubgraph } from '@cg/subgraph';
import { announce, processSettings } from './processes.ts';

export interface SubgraphSettings {
  name: string;
  databaseUrl: string;
  customerUrl?: string;
}

const settings = processSettings<SubgraphSettings>();
const definition = subgraphs.find((subgraph) => subgraph.name === settings.name);
if (!definition) throw new Error(`No subgraph named ${settings.name}`);
const running = await startSubgraph(definition as never, {
  databaseUrl: settings.databaseUrl,
  port: 0,
  host: '127.0.0.1',
  ...(settings.customerUrl ? { customerUrl: settings.customerUrl } : {}),
});
announce(running.url, () => running.close());
