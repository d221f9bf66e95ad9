import type { Server } from 'node:http';
import type { ApolloServer, ApolloServerPlugin, BaseContext } from '@apollo/server';
import {
  GraphQLError,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  Kind,
  OperationTypeNode,
  getArgumentValues,
  getDirectiveValues,
  getOperationAST,
  getVariableValues,
  parse,
  print,
  specifiedRules,
  validate,
  visit,
  type DirectiveNode,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  type FieldNode,
  type FormattedExecutionResult,
  type FragmentDefinitionNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { CloseCode, type Context, type ServerOptions } from 'graphql-ws';
import { useServer, type Extra } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { formatError, headerValue } from '@cg/http';
import { STORE_HEADER } from '@cg/auth';
import { authenticate, unauthenticated, type GatewayContext } from './auth.ts';
import { limitError, measureOperation, noIntrospection, type RequestLimits } from './limits.ts';
import { ChangeFeed } from './notifications.ts';

/**
 * The customer subgraph's channel (services/customer/src/summary/summary.notify.ts), notified with
 * `{"storeId":…,"customerId":…}` in the transaction of every change of a customer's summary.
 */
export const SUMMARY_CHANNEL = 'customer_summary';

/** Notifications of one subscriber within this window become one execution. */
const DEFAULT_COALESCE_MS = 50;

/**
 * A subscription field the gateway serves: which channel announces changes, and which query field
 * resolves the entity the subscriber follows. `customerSummaryUpdated(customerId: X) { … }` is
 * resolved as `customer(id: X) { … }`.
 */
interface LiveField {
  channel: string;
  argument: string;
  queryField: string;
  queryArgument: string;
  what: string;
}

const LIVE_FIELDS: Record<string, LiveField> = {
  customerSummaryUpdated: {
    channel: SUMMARY_CHANNEL,
    argument: 'customerId',
    queryField: 'customer',
    queryArgument: 'id',
    what: 'Customer',
  },
};

export interface LiveUpdatesOptions {
  /**
   * The customer subgraph's database, where its transactions NOTIFY `customer_summary`. Falls back
   * to `CUSTOMER_DATABASE_URL`, then `DATABASE_URL`. Without one, subscriptions are refused.
   */
  databaseUrl?: string;
  /** Notifications within this many milliseconds become one execution per subscriber (default 50). */
  coalesceMs?: number;
}

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
}

export interface SubscriptionServer {
  feed?: ChangeFeed;
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
 */
export function attachSubscriptions(options: SubscriptionServerOptions): SubscriptionServer {
  const databaseUrl =
    options.liveUpdates?.databaseUrl ?? (process.env.CUSTOMER_DATABASE_URL || process.env.DATABASE_URL || undefined);
  const feed = databaseUrl
    ? new ChangeFeed({
        databaseUrl,
        keyOf: (_channel, payload) => {
          try {
            const { storeId, customerId } = JSON.parse(payload) as { storeId?: unknown; customerId?: unknown };
            return typeof storeId === 'string' && typeof customerId === 'string'
              ? `${storeId}:${customerId}`
              : undefined;
          } catch {
            return undefined;
          }
        },
      })
    : undefined;
  const coalesceMs = options.liveUpdates?.coalesceMs ?? DEFAULT_COALESCE_MS;
  const rules: ValidationRule[] = options.introspection ? [...specifiedRules] : [...specifiedRules, noIntrospection];
  // As over HTTP: known codes pass, anything else is INTERNAL_SERVER_ERROR (without its message in production).
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

  const run = async (args: ExecutionArgs, query: string | DocumentNode, operationName: string | undefined) => {
    const response = await options.apollo.executeOperation(
      { query, variables: (args.variableValues ?? {}) as Record<string, unknown>, operationName },
      // A fresh access assertion for every run: a subscription outlives grants and roles.
      { contextValue: { ...(args.contextValue as GatewayContext), assertion: undefined } },
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
          await authenticate(authorization, ctx.extra.request.socket.remoteAddress ?? undefined, storeId),
        );
        return true;
      } catch (error) {
        if (!(error instanceof GraphQLError) || error.extensions.code !== 'UNAUTHENTICATED') throw error;
        // graphql-ws closes with 4403 Forbidden on `false`; a close already under way wins.
        ctx.extra.socket.close(UNAUTHENTICATED_CLOSE_CODE, `UNAUTHENTICATED: ${error.message}`.slice(0, 120));
        return false;
      }
    },

    onSubscribe(ctx, _id, payload) {
      const context = connections.get(ctx);
      if (!context) return [unauthenticated('A valid access token is required')];
      const schema = options.schema();
      if (!schema)
        return [
          new GraphQLError('The gateway has not loaded its schema yet', {
            extensions: { code: 'INTERNAL_SERVER_ERROR' },
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
      if (invalid.length) return invalid.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
      const operation = getOperationAST(document, payload.operationName);
      if (!operation) {
        return [
          new GraphQLError('Unable to identify the operation to run: name it with operationName', {
            extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
          }),
        ];
      }
      const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], payload.variables ?? {});
      if (coerced.errors) return coerced.errors.map((error) => withCode(error, 'BAD_USER_INPUT'));
      const limited = limitError(
        measureOperation(schema, document, operation, coerced.coerced, options.limits),
        options.limits,
      );
      if (limited) return [limited];
      return {
        schema,
        document,
        operationName: payload.operationName,
        variableValues: payload.variables ?? {},
        contextValue: context,
      };
    },

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
              { extensions: { code: 'INTERNAL_SERVER_ERROR' } },
            ),
          ],
        };
      }
      const plan = planLiveQuery(args);
      if (!('query' in plan)) return plan;
      const context = args.contextValue as GatewayContext;
      return liveResults({
        coalesceMs,
        // Changes of this entity in the subscriber's store only: another store's never match.
        follow: async (onChange) => {
          try {
            return await feed.subscribe(plan.field.channel, `${context.storeId}:${plan.entityId}`, onChange);
          } catch (error) {
            console.error('[gateway] cannot listen for live updates:', error);
            throw new GraphQLError('Live updates are unavailable; try again later', {
              extensions: { code: 'INTERNAL_SERVER_ERROR' },
            });
          }
        },
        resolve: async () => {
          // The token may expire while the subscription lasts; the subgraphs would refuse it too.
          try {
            await authenticate(context.authorization);
          } catch (error) {
            if (error instanceof GraphQLError) return { result: { data: null, errors: [error] }, final: true };
            throw error;
          }
          return emission(plan, await run(args, plan.query, plan.operationName));
        },
      });
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

interface LivePlan {
  field: LiveField;
  entityId: string;
  responseKey: string;
  operationName: string | undefined;
  /** The subscriber's selection as a query on the entity, printed once so that the gateway caches its plan. */
  query: string;
}

/**
 * Turns `subscription S($id: ID!) { live: customerSummaryUpdated(customerId: $id) { …selection } }`
 * into `query S($id: ID!) { live: customer(id: $id) { …selection } }` with the fragments and
 * variables the selection uses. The response key is kept, so the query's data is the emission.
 */
function planLiveQuery(args: ExecutionArgs): LivePlan | ExecutionResult {
  const { schema, document } = args;
  const operation = getOperationAST(document, args.operationName);
  const subscriptionType = schema.getSubscriptionType();
  if (!operation || !subscriptionType) return { errors: [new GraphQLError('Unable to identify the subscription')] };
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], args.variableValues ?? {});
  if (variables.errors) return { errors: variables.errors };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  // Validation allows one root field (several nodes of one response key are merged), maybe inside fragments.
  const nodes: FieldNode[] = [];
  const collect = (set: SelectionSetNode, seen: Set<string>) => {
    for (const selection of set.selections) {
      if (!included(selection, variables.coerced)) continue;
      if (selection.kind === Kind.FIELD) nodes.push(selection);
      else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet, seen);
      else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet, seen);
      }
    }
  };
  collect(operation.selectionSet, new Set());
  const first = nodes[0];
  if (!first) return { data: {} };
  const field = LIVE_FIELDS[first.name.value];
  const definition = subscriptionType.getFields()[first.name.value];
  if (!field || !definition) {
    return {
      errors: [
        new GraphQLError(`The gateway does not serve the subscription ${first.name.value}`, {
          nodes: [first],
          extensions: { code: 'BAD_REQUEST' },
        }),
      ],
    };
  }
  const argument = first.arguments?.find((arg) => arg.name.value === field.argument);
  const entityId = String(getArgumentValues(definition, first, variables.coerced)[field.argument]);
  const responseKey = first.alias?.value ?? first.name.value;

  const selectionSet: SelectionSetNode = {
    kind: Kind.SELECTION_SET,
    selections: nodes.flatMap((node) => node.selectionSet?.selections ?? []),
  };
  const entityField: FieldNode = {
    kind: Kind.FIELD,
    alias: { kind: Kind.NAME, value: responseKey },
    name: { kind: Kind.NAME, value: field.queryField },
    arguments: argument
      ? [{ kind: Kind.ARGUMENT, name: { kind: Kind.NAME, value: field.queryArgument }, value: argument.value }]
      : [],
    directives: [],
    selectionSet,
  };

  // Only the fragments the selection reaches (a fragment on Subscription would be unused) …
  const used = new Map<string, FragmentDefinitionNode>();
  const reach = (set: SelectionSetNode) => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (fragment && !used.has(fragment.name.value)) {
          used.set(fragment.name.value, fragment);
          reach(fragment.selectionSet);
        }
      } else if (selection.selectionSet) reach(selection.selectionSet);
    }
  };
  reach(selectionSet);
  // … and only the variables that they and the argument use.
  const query: OperationDefinitionNode = {
    kind: Kind.OPERATION_DEFINITION,
    operation: OperationTypeNode.QUERY,
    ...(operation.name ? { name: operation.name } : {}),
    directives: [],
    selectionSet: { kind: Kind.SELECTION_SET, selections: [entityField] },
  };
  const queryDocument: DocumentNode = { kind: Kind.DOCUMENT, definitions: [query, ...used.values()] };
  const variableNames = new Set<string>();
  visit(queryDocument, { Variable: (node) => void variableNames.add(node.name.value) });
  const variableDefinitions = (operation.variableDefinitions ?? []).filter((definition) =>
    variableNames.has(definition.variable.name.value),
  );
  const withVariables: DocumentNode = {
    ...queryDocument,
    definitions: [{ ...query, variableDefinitions }, ...used.values()],
  };

  return { field, entityId, responseKey, operationName: operation.name?.value, query: print(withVariables) };
}

function included(
  node: SelectionNode | { readonly directives?: readonly DirectiveNode[] },
  variables: Record<string, unknown>,
): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, variables)?.if !== false;
}

interface Emission {
  result: ExecutionResult;
  /** Nothing later can succeed: the entity is not the subscriber's to see, or the token is refused. */
  final: boolean;
}

/** The query's response as the subscription's next result. */
function emission(plan: LivePlan, response: FormattedExecutionResult): Emission {
  const entity = (response.data as Record<string, unknown> | null | undefined)?.[plan.responseKey];
  const errors = (response.errors ?? []).map(toGraphQLError);
  const codes = new Set(errors.map((error) => error.extensions.code));
  if (entity == null && errors.length === 0) {
    errors.push(
      new GraphQLError(`${plan.field.what} ${plan.entityId} was not found`, {
        path: [plan.responseKey],
        extensions: { code: 'NOT_FOUND' },
      }),
    );
  }
  return {
    result: { data: entity == null ? null : { [plan.responseKey]: entity }, ...(errors.length ? { errors } : {}) },
    final:
      (entity == null && (codes.size === 0 || codes.has('NOT_FOUND') || codes.has('BAD_USER_INPUT'))) ||
      codes.has('UNAUTHENTICATED') ||
      codes.has('FORBIDDEN'),
  };
}

/** graphql-ws serialises errors with `toJSON()`: Apollo's formatted errors become GraphQLErrors again. */
function toGraphQLError(error: GraphQLFormattedError): GraphQLError {
  // Locations would point into the query the gateway wrote, not into the subscriber's document.
  return new GraphQLError(error.message, { path: error.path, extensions: error.extensions });
}

function toExecutionResult(result: FormattedExecutionResult): ExecutionResult {
  return {
    ...(result.data !== undefined ? { data: result.data } : {}),
    ...(result.errors ? { errors: result.errors.map(toGraphQLError) } : {}),
    ...(result.extensions ? { extensions: result.extensions } : {}),
  };
}

/**
 * The stream of one subscriber: the selection now, then after each change. Changes that arrive
 * while one is waiting, being coalesced or being resolved make one more resolution, never a queue
 * of them; a result equal to the last one sent is not sent again.
 *
 * An async generator alone would not do: `return()` waits until the generator reaches a `yield`,
 * which a quiet customer may never let it do, and its listener would leak. Returning aborts the
 * waits first.
 */
export function liveResults(options: {
  coalesceMs: number;
  follow: (onChange: () => void) => Promise<() => void>;
  resolve: () => Promise<Emission>;
}): AsyncGenerator<ExecutionResult> {
  const controller = new AbortController();
  const { signal } = controller;
  let changed = false;
  let wake: (() => void) | undefined;
  const onChange = () => {
    changed = true;
    wake?.();
  };
  const until = (ready: () => boolean, ms?: number) =>
    new Promise<void>((resolve) => {
      if (signal.aborted || ready()) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        wake = undefined;
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      wake = ms === undefined ? done : undefined;
      signal.addEventListener('abort', done);
    });

  async function* stream(): AsyncGenerator<ExecutionResult> {
    const unfollow = await options.follow(onChange);
    try {
      let last: string | undefined;
      for (let first = true; !signal.aborted; first = false) {
        if (!first) {
          await until(() => changed);
          await until(() => false, options.coalesceMs);
          if (signal.aborted) return;
        }
        changed = false;
        const { result, final } = await options.resolve();
        if (signal.aborted) return;
        const key = JSON.stringify(result);
        if (key !== last || final) {
          last = key;
          yield result;
        }
        if (final) return;
      }
    } finally {
      unfollow();
    }
  }

  const inner = stream();
  const live: AsyncGenerator<ExecutionResult> = {
    next: () => inner.next(),
    return: (value) => {
      controller.abort();
      return inner.return(value);
    },
    throw: (error) => {
      controller.abort();
      return inner.throw(error);
    },
    [Symbol.asyncIterator]() {
      return live;
    },
  };
  return live;
}
