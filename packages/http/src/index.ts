export {
  startGraphQLHttpServer,
  sendJson,
  headerValue,
  PayloadTooLargeError,
  type RunningHttpServer,
  type RouteHandler,
  type GraphQLHttpServerOptions,
  type RequestEnd,
} from './server.ts';
export { ErrorCode, unauthenticated, identityProviderUnavailable, formatError, isProduction } from './errors.ts';
export { appendVary } from './vary.ts';
