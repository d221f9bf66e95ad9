export {
  startTestGraph,
  gatewayHeaders,
  eventually,
  type TestGraph,
  type TestStore,
  type TestRole,
  type GraphQLResponse,
  type RequestOptions,
} from './graph.ts';
export {
  daysAgo,
  type CustomerFields,
  type CreatedCustomer,
  type OrderFields,
  type RecordedOrder,
} from './store-data.ts';
export { oneOfEach, idOf, type RecordIds } from './one-of-each.ts';
export { explain, planNodes, type PlanNode } from './explain.ts';
export { startSubgraphProcess, type SubgraphProcess } from './subgraph-process.ts';
export { operationNamed } from './operations.ts';
export { launchChromium } from './chromium.ts';
export { startBalancer, type Balancer } from './balancer.ts';
export { startGatewayProcess, type GatewayProcess } from './gateway-process.ts';
export { startScaledGraph, type ScaledGraph, type ScaledGateway, type ScaledSubgraph } from './scaled-graph.ts';
export { seedIsolatedStore, expectNothingReadable, expectNothingWritable, type IsolatedRecords } from './isolation.ts';
export { outboxEvents } from './outbox-events.ts';
