import { runSubgraphMain } from '@cg/subgraph';
import { customerSubgraph } from './index.ts';

await runSubgraphMain(customerSubgraph);
