import { runSubgraphMain } from '@cg/subgraph';
import { engagementSubgraph } from './index.ts';

await runSubgraphMain(engagementSubgraph);
