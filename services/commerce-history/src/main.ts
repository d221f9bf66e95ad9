import { runSubgraphMain } from '@cg/subgraph';
import { commerceHistorySubgraph } from './index.ts';

await runSubgraphMain(commerceHistorySubgraph);
