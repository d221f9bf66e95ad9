export { startGateway, SUPERGRAPH_PATH, type GatewayOptions, type RunningGateway } from './gateway.ts';
export type { GatewayContext } from './auth.ts';
export { EXAMPLE_OPERATIONS, type ExplorerOptions } from './explorer/explorer.ts';
export {
  DEFAULT_LIMITS,
  DEFAULT_PAGE_SIZE,
  measureOperation,
  requestLimits,
  requestLimitsPlugin,
  type RequestLimits,
} from './limits.ts';
export {
  SUMMARY_CHANNEL,
  UNAUTHENTICATED_CLOSE_CODE,
  type LiveUpdatesOptions,
  type SubscriptionServer,
} from './subscriptions.ts';
export { ChangeFeed } from './notifications.ts';
