import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { Kind, visit, type DocumentNode, type GraphQLSchema } from 'graphql';
import { formatError, isProduction, sendJson, startGraphQLHttpServer, type RunningHttpServer } from '@cg/http';
import { ACCESS_HEADER, GATEWAY_HEADER, bearerToken, checkKeys } from '@cg/auth';
import { ACCESS_MUTATIONS, AccessCache, type AccessCacheOptions } from './access-cache.ts';
import { fetchAssertion, gatewayAssertion, gatewayContext, type GatewayContext } from './auth.ts';
import { trustedProxyHops } from './client-ip.ts';
import { compressionMinBytes, responseCompression, type CompressionOptions } from './compression.ts';
import { corsHandler, corsPolicy, type CorsOptions } from './cors.ts';
import { explorerRoutes, introspectionOffPage, type ExplorerOptions } from './explorer/explorer.ts';
import { noIntrospection, requestLimits, requestLimitsPlugin, type RequestLimits } from './limits.ts';
import { requestErrorStatusPlugin } from './response-status.ts';
import { fetchTimeouts, subgraphFetcher, type FetchTimeouts } from './subgraph-fetcher.ts';
import type { LiveUpdatesOptions } from './subscriptions/fan-out.ts';
import {
  attachSubscriptions,
  subscriptionsOverWebSocketPlugin,
  type SubscriptionServer,
} from './subscriptions/server.ts';

export const SUPERGRAPH_PATH = fileURLToPath(new URL('../../schema/supergraph.graphql', import.meta.url));

export interface GatewayOptions {
  /** Subgraph name → GraphQL URL; overrides the URLs recorded in the supergraph. */
  subgraphUrls: Record<string, string>;
  port?: number;
  host?: string;
  supergraphSdl?: string;
  explorer?: ExplorerOptions;
  /**
   * Per-request limits; each falls back to its environment variable (`MAX_QUERY_DEPTH`,
   * `MAX_ALIASES`, `MAX_QUERY_COST`, `MAX_BODY_BYTES`), then to DEFAULT_LIMITS.
   */
  limits?: Partial<RequestLimits>;
  /**
   * Deadlines of a subgraph fetch and of the `/access` lookup, in milliseconds; each falls back to
   * its environment variable (`SUBGRAPH_TIMEOUT_MS`, `ACCESS_TIMEOUT_MS`), then to DEFAULT_TIMEOUTS.
   */
  timeouts?: Partial<FetchTimeouts>;
  /** Masks unexpected errors and turns introspection off; defaults to `NODE_ENV=production`. */
  production?: boolean;
  /**
   * `__schema`/`__type` queries, which the explorer needs. Defaults to on outside production and,
   * in production, to `ALLOW_INTROSPECTION=true`. When off, the explorer page only says so.
   */
  introspection?: boolean;
  /**
   * Subscriptions over graphql-ws on the same path: where the customer subgraph announces changes
   * (its database, `CUSTOMER_DATABASE_URL` or `DATABASE_URL` when not given) and how long a burst
   * of them is coalesced.
   */
  liveUpdates?: LiveUpdatesOptions;
  /**
   * How many proxies in front of the gateway append to `X-Forwarded-For` (`TRUSTED_PROXY_HOPS`,
   * default 0): the client's address is taken that many hops from the right, else from the socket.
   */
  trustedProxyHops?: number;
  /**
   * Browser pages of other origins that may call the API (`CORS_ORIGINS`); in development also
   * localhost and 127.0.0.1 on any port and the gateway's own origin.
   */
  cors?: CorsOptions;
  /**
   * gzip or brotli, as the client's `Accept-Encoding` prefers, for GraphQL responses of at least
   * `minBytes` (`COMPRESSION_MIN_BYTES`, default 1024); `false` sends every body as it is.
   */
  compression?: CompressionOptions | false;
  /**
   * Staff access assertions kept per process between operations, dropped on the customer
   * subgraph's `access_changed` notifications (heard in the live updates' database unless
   * `databaseUrl` names another); `false` asks `/access` for every operation.
   */
  accessCache?: AccessCacheOptions | false;
}

export interface RunningGateway extends RunningHttpServer {
  /** The graphql-ws server and its PostgreSQL change feed (undefined without a database). */
  subscriptions: SubscriptionServer;
  accessCache: AccessCache;
}

/** Whether a mutation names one of ACCESS_MUTATIONS anywhere (fragments included: more is harmless). */
function changesAccess(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.FIELD]: (field) => {
      if (ACCESS_MUTATIONS.has(field.name.value)) found = true;
    },
  });
  return found;
}

export async function startGateway(options: GatewayOptions): Promise<RunningGateway> {
  checkKeys();
  const trustedHops = trustedProxyHops(options.trustedProxyHops);
  // The customer subgraph keeps staff roles and grants and answers `/access` beside its `/graphql`.
  let accessUrl: string | undefined;
  const timeouts = fetchTimeouts(options.timeouts);
  const accessCache = new AccessCache(
    options.accessCache === false
      ? {}
      : {
          ...options.accessCache,
          databaseUrl:
            options.accessCache?.databaseUrl ??
            options.liveUpdates?.databaseUrl ??
            (process.env.CUSTOMER_DATABASE_URL || process.env.DATABASE_URL || undefined),
        },
  );
  const gateway = new ApolloGateway({
    supergraphSdl: options.supergraphSdl ?? readFileSync(SUPERGRAPH_PATH, 'utf8'),
    buildService: ({ name, url }) => {
      const subgraphUrl = options.subgraphUrls[name] ?? url;
      if (name === 'customer' && subgraphUrl) accessUrl = new URL('/access', subgraphUrl).toString();
      return new RemoteGraphQLDataSource<GatewayContext>({
        url: subgraphUrl,
        fetcher: subgraphFetcher(name, timeouts.subgraphMs),
        async willSendRequest({ request, context }) {
          if (!('principal' in context)) return;
          const operation = context as GatewayContext;
          request.http?.headers.set('authorization', operation.authorization);
          // The subgraph answers nothing without it, and takes the client's address from it.
          request.http?.headers.set(GATEWAY_HEADER, await gatewayAssertion(operation));
          if (operation.principal.kind === 'staff') {
            // Only operations that reach a subgraph pay for the lookup (not those the limits refuse).
            operation.assertion ??= accessCache.assertion(
              bearerToken(operation.authorization)!,
              operation.principal.userId,
              operation.storeId,
              () => fetchAssertion(accessUrl!, operation, timeouts.accessMs),
            );
            request.http?.headers.set(ACCESS_HEADER, await operation.assertion);
          }
        },
      });
    },
  });
  const limits = requestLimits(options.limits);
  const production = options.production ?? isProduction();
  const cors = corsHandler(corsPolicy(options.cors, production));
  const encodeBody =
    options.compression === false ? undefined : responseCompression(compressionMinBytes(options.compression));
  const introspection = options.introspection ?? (!production || process.env.ALLOW_INTROSPECTION === 'true');
  const apollo = new ApolloServer<GatewayContext>({
    // Shutdown is ours (the launcher's signal handlers, close()); Apollo's own would race it.
    stopOnTerminationSignals: false,
    gateway,
    formatError: formatError(production),
    includeStacktraceInErrorResponses: false,
    // Our own rule refuses introspection with a message that names ALLOW_INTROSPECTION.
    introspection: true,
    validationRules: introspection ? [] : [noIntrospection],
    // Without introspection, "Did you mean …?" suggestions would still spell out the schema.
    hideSchemaDetailsFromClientErrors: !introspection,
    // Apollo's guard against fragments spread exponentially, before the validation rules run.
    maxRecursiveSelections: true,
    plugins: [
      requestLimitsPlugin(limits),
      subscriptionsOverWebSocketPlugin(),
      requestErrorStatusPlugin(),
      {
        // After the subgraphs committed and before the caller hears of it: their next request is
        // decided afresh, whenever the notification arrives.
        async requestDidStart() {
          return {
            async willSendResponse({ operation, document }) {
              if (operation?.operation === 'mutation' && document && changesAccess(document)) accessCache.changed();
            },
          };
        },
      },
    ],
  });
  let apiSchema: GraphQLSchema | undefined;
  gateway.onSchemaLoadOrUpdate((loaded) => {
    apiSchema = loaded.apiSchema;
  });
  let subscriptions: SubscriptionServer | undefined;
  const explorer = explorerRoutes(options.explorer ?? {});
  const server = await startGraphQLHttpServer({
    apollo,
    port: options.port,
    host: options.host,
    maxBodyBytes: limits.maxBodyBytes,
    context: gatewayContext(trustedHops),
    onGraphQLRequest: cors,
    encodeBody,
    browserPage: introspection ? explorer.page : introspectionOffPage,
    routes: {
      ...(introspection ? explorer.assets : {}),
      '/health': (_req, res) => sendJson(res, 200, { status: 'ok' }),
    },
    attach: (httpServer, path) =>
      (subscriptions = attachSubscriptions({
        httpServer,
        path,
        apollo,
        schema: () => apiSchema,
        limits,
        introspection,
        production,
        liveUpdates: options.liveUpdates,
        trustedHops,
      })),
  });
  return {
    ...server,
    subscriptions: subscriptions!,
    accessCache,
    async close() {
      try {
        await server.close();
      } finally {
        await accessCache.close();
      }
    },
  };
}
