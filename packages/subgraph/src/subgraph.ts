import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLSchema } from 'graphql';
import {
  ACCESS_HEADER,
  GATEWAY_HEADER,
  bearerToken,
  checkKeys,
  principalFrom,
  verifyAccess,
  verifyGatewayAssertion,
  InvalidTokenError,
  KeysUnavailableError,
} from '@cg/auth';
import {
  beginRequestTransaction,
  connect,
  isConnectionLoss,
  migrate,
  requestRole,
  type Database,
  type RowSecurityRules,
  type ScopedDatabase,
} from '@cg/db';
import {
  startEventDelivery,
  startScheduledTasks,
  type EventDelivery,
  type EventWiring,
  type ScheduledTask,
  type SubgraphName,
} from '@cg/events';
import {
  formatError,
  headerValue,
  identityProviderUnavailable,
  isProduction,
  sendJson,
  startGraphQLHttpServer,
  unauthenticated,
  type RouteHandler,
} from '@cg/http';
import { baseContext, type BaseContext } from './context.ts';
import type { PersonalDataRegistry } from './personal-data/personal-data.registry.ts';
import { customerLookup } from './directory/directory.lookup.ts';
import { databaseUnavailable, databaseUnavailableField, forbidden } from './errors.ts';

/** How long `/health` waits for its `select 1` before it answers 503. */
const HEALTH_TIMEOUT_MS = Number(process.env.HEALTH_TIMEOUT_MS ?? 2000);

/** Everything the launcher, the tests and a subgraph's own `main.ts` need to run it. */
export interface SubgraphDefinition<TTables extends Record<string, unknown>, TContext extends BaseContext> {
  /** Subgraph name in the supergraph, e.g. `commerce-history`. */
  name: string;
  /** The PostgreSQL schema that holds all of its tables. */
  dbSchema: string;
  migrationsFolder: string;
  tables: TTables;
  defaultPort: number;
  /**
   * What differs from the default row-level security of its tables (packages/db/src/row-security.ts):
   * every table with a `store_id` column is confined to the request's store, and to the customer
   * of a customer token by its `customer_id` column; tables without `store_id` are not granted.
   */
  rowSecurity?: RowSecurityRules;
  buildSchema(): Promise<GraphQLSchema>;
  /** `db` is the request's own transaction, under the request role and scope. */
  createContext(base: BaseContext, db: ScopedDatabase<TTables>): TContext;
  /**
   * Work on a clock (graphile-worker's cron): once per due time across every process, caught up
   * after downtime. It runs on the jobs pool, so request statement counts stay exact.
   */
  schedule?: readonly ScheduledTask<TTables>[];
  /**
   * Every table holding data about a customer, with what erasure does to it and how the person's
   * data document shows it (C19). The registry test fails on a customer column left out.
   */
  personalData: PersonalDataRegistry;
  /** Its outbox and the events it consumes (packages/events). */
  events?: EventWiring;
  /**
   * Plain HTTP routes beside `/graphql` (the customer subgraph's `/access`). They get a pool of
   * their own, so that the statements of a GraphQL request are counted apart from them.
   */
  routes?(db: Database<TTables>): Record<string, RouteHandler>;
  /**
   * Keys this subgraph needs beyond `checkKeys`' (the contact hash key of C14): throws a
   * MissingKeysError before it starts, as `checkKeys` does.
   */
  checkKeys?(): void;
}

export interface RunningSubgraph<TTables extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  url: string;
  db: Database<TTables>;
  /** Its relay and consumer; tests stop and restart them to play a delivering process dying. */
  delivery?: { stop(): Promise<void>; start(): Promise<void> };
  close(): Promise<void>;
}

export async function startSubgraph<TTables extends Record<string, unknown>, TContext extends BaseContext>(
  definition: SubgraphDefinition<TTables, TContext>,
  options: {
    databaseUrl: string;
    port?: number;
    host?: string;
    poolSize?: number;
    /** Scheduled work and event delivery; on unless false. */
    background?: boolean;
    /** Where graphile-worker's queue lives (EVENTS_DATABASE_URL, else the subgraph's database). */
    brokerUrl?: string;
    /**
     * The customer subgraph's URL, which the other subgraphs ask about a customer their directory
     * does not have yet (directory/directory.service.ts).
     */
    customerUrl?: string;
    /** Told how long each step of the start took (the launcher prints them). */
    onStep?: (step: 'migrations' | 'server', ms: number) => void;
  },
): Promise<RunningSubgraph<TTables>> {
  checkKeys();
  definition.checkKeys?.();
  let stepStart = performance.now();
  const step = (name: 'migrations' | 'server') => {
    const now = performance.now();
    options.onStep?.(name, now - stepStart);
    stepStart = now;
  };
  await migrate(options.databaseUrl, definition.dbSchema, definition.migrationsFolder, definition.rowSecurity);
  step('migrations');
  const roles = {
    staff: requestRole(definition.dbSchema, 'staff'),
    customer: requestRole(definition.dbSchema, 'customer'),
  };
  const db = connect({
    url: options.databaseUrl,
    schema: definition.tables,
    max: options.poolSize,
    applicationName: definition.name,
  });
  const routesDb = definition.routes
    ? connect({
        url: options.databaseUrl,
        schema: definition.tables,
        max: 4,
        applicationName: `${definition.name}-routes`,
      })
    : undefined;
  // Its own connection, so that health checks neither wait behind requests nor count as theirs.
  const healthDb = connect({
    url: options.databaseUrl,
    schema: definition.tables,
    max: 1,
    applicationName: `${definition.name}-health`,
  });
  const format = formatError(isProduction());
  const apollo = new ApolloServer<TContext>({
    // Shutdown is ours (the launcher's signal handlers, close()); Apollo's own would race it.
    stopOnTerminationSignals: false,
    schema: await definition.buildSchema(),
    formatError: (formatted, error) =>
      isConnectionLoss(unwrapResolverError(error)) ? databaseUnavailableField(formatted) : format(formatted, error),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const server = await startGraphQLHttpServer({
    apollo,
    port: options.port,
    host: options.host,
    context: async (req, request) => {
      const base = await authenticate(req);
      if (options.customerUrl) base.lookupCustomer = customerLookup(options.customerUrl, req);
      // Defence in depth: PostgreSQL itself hides other stores' (and customers') rows from
      // whatever the resolvers send. The server commits before it writes the response.
      const customer = base.principal.kind === 'customer';
      const transaction = await beginRequestTransaction(db, {
        role: customer ? roles.customer : roles.staff,
        storeId: base.storeId,
        ...(customer ? { customerId: base.principal.userId } : {}),
      }).catch((error: unknown) => {
        throw isConnectionLoss(error) ? databaseUnavailable() : error;
      });
      request.onEnd((ok) =>
        transaction.end(ok).catch((error: unknown) => {
          // The COMMIT of a request that wrote lost its connection: its writes may or may not be there.
          throw isConnectionLoss(error) ? databaseUnavailable() : error;
        }),
      );
      return definition.createContext(base, transaction.db);
    },
    routes: {
      ...(routesDb ? withDatabaseUnavailable(definition.routes?.(routesDb) ?? {}) : {}),
      '/health': async (_req, res) => {
        const database = await reachable(healthDb, HEALTH_TIMEOUT_MS);
        sendJson(res, database ? 200 : 503, {
          status: database ? 'ok' : 'unavailable',
          subgraph: definition.name,
          database,
        });
      },
    },
  });
  const background = options.background !== false && (definition.events || definition.schedule?.length);
  const jobsDb = background
    ? connect({
        url: options.databaseUrl,
        schema: definition.tables,
        max: 3,
        applicationName: `${definition.name}-jobs`,
      })
    : undefined;
  const brokerUrl = options.brokerUrl ?? process.env.EVENTS_DATABASE_URL ?? options.databaseUrl;
  let delivery: EventDelivery | undefined;
  const startDelivery = async () => {
    if (!jobsDb || !definition.events || delivery) return;
    delivery = await startEventDelivery({
      name: definition.name as SubgraphName,
      db: jobsDb,
      brokerUrl,
      wiring: definition.events,
    });
  };
  const stopDelivery = async () => {
    const running = delivery;
    delivery = undefined;
    await running?.stop();
  };
  await startDelivery();
  const scheduled =
    jobsDb && definition.schedule?.length
      ? await startScheduledTasks({
          db: jobsDb,
          brokerUrl,
          tasks: definition.schedule,
        })
      : undefined;
  step('server');
  return {
    name: definition.name,
    url: server.url,
    db,
    ...(jobsDb && definition.events ? { delivery: { start: startDelivery, stop: stopDelivery } } : {}),
    async close() {
      await scheduled?.stop();
      await stopDelivery();
      await server.close();
      await Promise.all([db.close(), jobsDb?.close(), routesDb?.close(), healthDb.close()]);
    },
  };
}

/**
 * Subgraphs answer only the gateway: every request carries its assertion (`x-gateway-assertion`),
 * made for this request's token, which is also where the client's address comes from. They verify
 * the token again too. A staff caller also brings the access assertion the customer subgraph
 * signed for this user and store (the gateway fetches it per request): the store to work in and
 * the actions allowed there.
 */
export async function authenticate(req: IncomingMessage): Promise<BaseContext> {
  const gateway = await verifyGatewayAssertion(
    headerValue(req, GATEWAY_HEADER),
    bearerToken(req.headers.authorization),
  ).catch((error: unknown) => {
    throw error instanceof InvalidTokenError ? forbidden(error.message, 403) : error;
  });
  const principal = await principalFrom(req.headers.authorization).catch((error: unknown) => {
    if (error instanceof KeysUnavailableError) throw identityProviderUnavailable();
    throw error instanceof InvalidTokenError ? unauthenticated(error.message) : error;
  });
  if (principal.kind !== 'staff') return baseContext(principal, gateway.ip);
  const assertion = headerValue(req, ACCESS_HEADER);
  if (!assertion) throw forbidden(`Staff requests need the ${ACCESS_HEADER} header (the gateway adds it)`, 403);
  const access = await verifyAccess(assertion).catch((error: unknown) => {
    throw error instanceof InvalidTokenError ? forbidden(error.message, 403) : error;
  });
  if (access.userId !== principal.userId) throw forbidden('The access assertion is for another user', 403);
  return baseContext(principal, gateway.ip, access);
}

/** Routes answer 503 SERVICE_UNAVAILABLE, retriable, when their statements lose their connection. */
function withDatabaseUnavailable(routes: Record<string, RouteHandler>): Record<string, RouteHandler> {
  return Object.fromEntries(
    Object.entries(routes).map(([path, route]) => [
      path,
      async (req, res, url) => {
        try {
          await route(req, res, url);
        } catch (error) {
          if (!isConnectionLoss(error) || res.headersSent) throw error;
          const { message, extensions } = databaseUnavailable();
          sendJson(res, 503, { errors: [{ message, extensions: { code: extensions.code, retriable: true } }] });
        }
      },
    ]),
  );
}

/** Whether the database answers `select 1` within `timeoutMs`. */
async function reachable(db: Database, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(resolve, timeoutMs, false)));
  const answered = db.sql`select 1`.then(
    () => true,
    () => false,
  );
  try {
    return await Promise.race([answered, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
