export { startGraphQLHttpServer, sendJson, PayloadTooLargeError, type RunningHttpServer, type RouteHandler, type GraphQLHttpServerOptions } from './server.ts';
export { formatError, isProduction } from './errors.ts';
