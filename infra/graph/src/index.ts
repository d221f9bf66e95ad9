import 'reflect-metadata';
export { subgraphs, defaultSubgraphUrl, type SubgraphName } from './subgraphs.ts';
export { composeSupergraph, type Composition } from './compose.ts';
export { startGraph, type GraphOptions, type RunningGraph } from './graph.ts';
