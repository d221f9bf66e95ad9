/** Our gateway (`startGateway`) in its own process, in front of the subgraph processes. */
import { startGateway } from '@cg/gateway';
import { announce, processSettings } from './processes.ts';

export interface GatewaySettings {
  subgraphUrls: Record<string, string>;
  /** The supergraph with the subgraph processes' URLs in it (the peers read the same file). */
  supergraphPath: string;
}

const settings = processSettings<GatewaySettings>();
const gateway = await startGateway({ subgraphUrls: settings.subgraphUrls, port: 0, host: '127.0.0.1' });
announce(gateway.url, () => gateway.close());
