import { runSubgraphMain } from '@cg/subgraph';
import { consentSubgraph } from './index.ts';

await runSubgraphMain(consentSubgraph);
