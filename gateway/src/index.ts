export { startGateway, SUPERGRAPH_PATH, type GatewayOptions, type RunningGateway } from './gateway.ts';
export type { GatewayContext } from './auth.ts';
export { DEFAULT_TIMEOUTS, fetchTimeouts, type FetchTimeouts } from './subgraph-fetcher.ts';
export { EXAMPLE_OPERATIONS, type ExplorerOptions } from './explorer/explorer.ts';
export {
  DEFAULT_LIMITS,
  DEFAULT_PAGE_SIZE,
  measureOperation,
  requestLimits,
  requestLimitsPlugin,
  type RequestLimits,
} from './limits.ts';
export { UNAUTHENTICATED_CLOSE_CODE, type SubscriptionServer } from './subscriptions/server.ts';
export { SUMMARY_CHANNEL, type LiveUpdatesOptions } from './subscriptions/fan-out.ts';
export { ChangeFeed } from './subscriptions/change-feed.ts';
