import { ApolloServerErrorCode } from '@apollo/server/errors';
import type { Server } from 'node:http';
import type { ApolloServer, ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  getOperationAST,
  getVariableValues,
  parse,
  specifiedRules,
  validate,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FormattedExecutionResult,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type ValidationRule,
} from 'graphql';
import { CloseCode, type Context, type ServerOptions } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { ErrorCode, formatError, headerValue, unauthenticated } from '@cg/http';
import { STORE_HEADER } from '@cg/auth';
import { authenticate, type GatewayContext } from '../auth.ts';
import { clientIp } from '../client-ip.ts';
import { limitError, measureOperation, noIntrospection, type RequestLimits } from '../limits.ts';
import type { ChangeFeed } from './change-feed.ts';
import { followEntity, liveUpdates, type LiveUpdatesOptions } from './fan-out.ts';
import { LiveGroups, type LiveMember } from './live-groups.ts';
import { emission, planLiveQuery, toGraphQLError } from './live-query.ts';
import { SubscriptionSlots, subscriptionLimits } from './subscription-limits.ts';

export interface SubscriptionServerOptions {
  httpServer: Server;
  path: string;
  /** The gateway's own server: every emission is a query through it, as over HTTP. */
  apollo: ApolloServer<GatewayContext>;
  /** The supergraph's API schema, as the gateway has loaded it. */
  schema: () => GraphQLSchema | undefined;
  limits: RequestLimits;
  introspection: boolean;
  production: boolean;
  liveUpdates?: LiveUpdatesOptions;
  /** Proxies in front of the gateway whose `X-Forwarded-For` entries are believed. */
  trustedHops: number;
}

export interface SubscriptionServer {
  feed?: ChangeFeed;
  /** Live queries: groups of subscribers sharing one resolution, and resolutions run since the start. */
  live: { readonly groups: number; readonly resolutions: number };
  close(): Promise<void>;
}

/** Close code for a connection whose token is missing or invalid (graphql-ws's "Unauthorized"). */
export const UNAUTHENTICATED_CLOSE_CODE = CloseCode.Unauthorized;

/**
 * graphql-ws (the `graphql-transport-ws` protocol) on the gateway's HTTP server and GraphQL path.
 *
 * - The token comes in the connection_init payload as `Authorization: Bearer …` (the upgrade
 *   request's header also works) and is verified as over HTTP; a missing or bad one closes the
 *   socket with 4401 and a reason starting with `UNAUTHENTICATED`.
 * - Each operation is validated against the supergraph's API schema and measured against the same
 *   limits as over HTTP before anything runs. Queries and mutations run through the gateway's
 *   ApolloServer. A subscription to `customerSummaryUpdated(customerId)` emits the subscriber's
 *   selection at once, then again after every change of that customer in the subscriber's store,
 *   each time resolved as a `customer(id:)` query through the gateway with the subscriber's token.
 * - Subscribers with the same principal, store, customer, document and variables share one
 *   resolution (LiveGroups). A socket holds at most `maxPerConnection` subscriptions and a
 *   principal at most `maxPerPrincipal` in this process: a subscribe past either is refused with
 *   an error naming the limit (`reason`, `limit`, `actual`), and the socket stays open.
 */
export function attachSubscriptions(options: SubscriptionServerOptions): SubscriptionServer {
  const { feed, coalesceMs } = liveUpdates(options.liveUpdates);
  const rules: ValidationRule[] = options.introspection ? [...specifiedRules] : [...specifiedRules, noIntrospection];
  // As over HTTP: known codes pass, anything else is INTERNAL_SERVER_ERROR without its message;
  // no suggestions in production.
  const formatted = formatError(options.production);
  const format = (error: GraphQLError): GraphQLFormattedError => {
    const { extensions: _extensions, ...json } = error.toJSON();
    const { http: _http, ...extensions } = error.extensions as Record<string, unknown>;
    return formatted(
      { ...json, ...(Object.keys(extensions).length ? { extensions } : {}) },
      error.originalError ?? error,
    );
  };
  const connections = new WeakMap<Context<Record<string, unknown>, Extra>, GatewayContext>();
  const slots = new SubscriptionSlots(subscriptionLimits(options.liveUpdates));
  const groups = new LiveGroups<LiveMember & { args: ExecutionArgs }>(coalesceMs);

  const run = async (args: ExecutionArgs, query: string | DocumentNode, operationName: string | undefined) => {
    const response = await options.apollo.executeOperation(
      { query, variables: (args.variableValues ?? {}) as Record<string, unknown>, operationName },
      // Fresh assertions for every run: a subscription outlives grants, roles and their lifetimes.
      { contextValue: { ...(args.contextValue as GatewayContext), assertion: undefined, gatewayAssertion: undefined } },
    );
    if (response.body.kind !== 'single') throw new Error('Incremental delivery is not supported over graphql-ws');
    return response.body.singleResult;
  };

  const serverOptions: ServerOptions<Record<string, unknown>, Extra> = {
    async onConnect(ctx) {
      try {
        const authorization = authorizationOf(ctx.connectionParams) ?? ctx.extra.request.headers.authorization;
        const storeId = paramOf(ctx.connectionParams, STORE_HEADER) ?? headerValue(ctx.extra.request, STORE_HEADER);
        connections.set(
          ctx,
          await authenticate(authorization, clientIp(ctx.extra.request, options.trustedHops), storeId),
        );
        return true;
      } catch (error) {
        if (!(error instanceof GraphQLError) || error.extensions.code !== ErrorCode.UNAUTHENTICATED) throw error;
        // graphql-ws closes with 4403 Forbidden on `false`; a close already under way wins.
        ctx.extra.socket.close(UNAUTHENTICATED_CLOSE_CODE, `UNAUTHENTICATED: ${error.message}`.slice(0, 120));
        return false;
      }
    },

    onSubscribe(ctx, id, payload) {
      const context = connections.get(ctx);
      if (!context) return [unauthenticated()];
      const schema = options.schema();
      if (!schema)
        return [
          new GraphQLError('The gateway has not loaded its schema yet', {
            extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
          }),
        ];
      let document: DocumentNode;
      try {
        document = parse(payload.query, { maxTokens: 100_000 });
      } catch (error) {
        const syntax = error instanceof GraphQLError ? error : new GraphQLError(String(error));
        return [
          new GraphQLError(syntax.message, {
            nodes: syntax.nodes,
            source: syntax.source,
            positions: syntax.positions,
            extensions: { code: 'GRAPHQL_PARSE_FAILED' },
          }),
        ];
      }
      const invalid = validate(schema, document, rules);
      if (invalid.length)
        return invalid.map((error) => withCode(error, ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED));
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) {
        return [
          new GraphQLError('Unable to identify the operation to run: name it with operationName', {
            extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
          }),
        ];
      }
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
      if (coerced.errors) return coerced.errors.map((error) => withCode(error, ErrorCode.BAD_USER_INPUT));
      const limited = limitError(
        measureOperation(schema, document, operation, coerced.coerced, options.limits),
        options.limits,
      );
      if (limited) return [limited];
      if (operation.operation === 'subscription') {
        const refused = slots.take(ctx, id, principalKey(context));
        if (refused) return [refused];
      }
      return {
        schema,
        document,
        operationName: payload.operationName,
        variableValues: payload.variables ?? {},
        contextValue: context,
      };
    },

    onComplete: (ctx, id) => slots.release(ctx, id),
    onClose: (ctx) => slots.release(ctx),

    onNext: (_ctx, _id, _payload, _args, result) =>
      result.errors ? { ...result, errors: result.errors.map(format) } : undefined,
    onError: (_ctx, _id, _payload, errors) => errors.map(format),

    // Queries and mutations sent over the socket: the gateway's ApolloServer runs them as over HTTP.
    async execute(args) {
      const result = await run(args, args.document, args.operationName ?? undefined);
      return toExecutionResult(result);
    },

    subscribe(args) {
      if (!feed) {
        return {
          errors: [
            new GraphQLError(
              'Live updates are not configured on this gateway (CUSTOMER_DATABASE_URL or DATABASE_URL)',
              { extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR } },
            ),
          ],
        };
      }
      const plan = planLiveQuery(args);
      if (!('query' in plan)) return plan;
      const context = args.contextValue as GatewayContext;
      // The same principal, store, entity, document and variables: the same result for everyone.
      const key = JSON.stringify([
        principalKey(context),
        context.storeId,
        plan.entityId,
        plan.query,
        args.variableValues,
      ]);
      const member = {
        args,
        // The token may expire while the subscription lasts; the subgraphs would refuse it too.
        async admit() {
          try {
            await authenticate(context.authorization);
            return undefined;
          } catch (error) {
            if (error instanceof GraphQLError) return { data: null, errors: [error] };
            throw error;
          }
        },
      };
      return groups.join(key, member, () => ({
        follow: followEntity(feed, plan.field.channel, context.storeId, plan.entityId),
        resolve: async (newest) => emission(plan, await run(newest.args, plan.query, plan.operationName)),
      }));
    },
  };

  const wss = new WebSocketServer({
    server: options.httpServer,
    path: options.path,
    maxPayload: options.limits.maxBodyBytes,
  });
  const server = useServer({ ...serverOptions, isProd: options.production }, wss);

  return {
    feed,
    live: {
      get groups() {
        return groups.size;
      },
      get resolutions() {
        return groups.resolutions;
      },
    },
    async close() {
      // Clients get 1001 "Going away"; the few that do not answer the close are cut after a second.
      const cut = setTimeout(() => {
        for (const client of wss.clients) client.terminate();
      }, 1000);
      try {
        await server.dispose();
      } finally {
        clearTimeout(cut);
        await feed?.close();
      }
    },
  };
}

/**
 * A subscription POSTed over HTTP gets a 400 that says where subscriptions are served, instead of
 * @apollo/gateway's "Execution of subscriptions not supported by gateway" as a 500.
 */
export function subscriptionsOverWebSocketPlugin<TContext extends BaseContext>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation !== 'subscription') return;
          throw new GraphQLError(
            'Subscriptions are served over WebSocket on this URL (graphql-ws, subprotocol graphql-transport-ws)',
            {
              extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
            },
          );
        },
      };
    },
  };
}

/** Who holds a subscription, for its limit and its group: the token's kind, user and store. */
function principalKey(context: GatewayContext): string {
  const { kind, userId, storeId, platform } = context.principal;
  return JSON.stringify([kind, userId, storeId, platform === true]);
}

/** The connection_init payload's `Authorization` (any case). */
function authorizationOf(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  return paramOf(params, 'authorization');
}

/** A connection_init parameter by name, in any case (`x-store-id` for staff working in another store). */
function paramOf(params: Readonly<Record<string, unknown>> | undefined, name: string): string | undefined {
  if (!params) return undefined;
  for (const [key, value] of Object.entries(params)) {
    if (key.toLowerCase() === name && typeof value === 'string') return value;
  }
  return undefined;
}

function withCode(error: GraphQLError, code: string): GraphQLError {
  if (error.extensions.code) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code },
  });
}

function toExecutionResult(result: FormattedExecutionResult): ExecutionResult {
  return {
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors ? { errors: result.errors.map(toGraphQLError) } : {}),
    ...(result.extensions ? { extensions: result.extensions } : {}),
  };
}
