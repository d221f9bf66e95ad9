import type { IncomingMessage } from 'node:http';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginInlineTraceDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { bearerToken, verifyToken, InvalidTokenError } from '@cg/auth';
import { connect, migrate, type Database } from '@cg/db';
import { formatError, isProduction, sendJson, startGraphQLHttpServer } from '@cg/http';
import { baseContext, type BaseContext } from './context.ts';
import { forbidden, unauthenticated } from './errors.ts';

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
   * Whether signed-in customers may call it at all. A subgraph that accepts them confines them to
   * their own data in its services; the others answer customer tokens with FORBIDDEN.
   */
  acceptsCustomerTokens?: boolean;
  buildSchema(): Promise<GraphQLSchema>;
  createContext(base: BaseContext, db: Database<TTables>): TContext;
  /**
   * Scheduled work of the subgraph (e.g. expiring wallet credit). Runs on its own small pool so
   * that request statement counts stay exact; returns a function that stops it.
   */
  background?(db: Database<TTables>): () => void;
}

export interface RunningSubgraph<TTables extends Record<string, unknown> = Record<string, unknown>> {
  name: string;
  url: string;
  db: Database<TTables>;
  close(): Promise<void>;
}

export async function startSubgraph<TTables extends Record<string, unknown>, TContext extends BaseContext>(
  definition: SubgraphDefinition<TTables, TContext>,
  options: { databaseUrl: string; port?: number; host?: string; poolSize?: number; background?: boolean },
): Promise<RunningSubgraph<TTables>> {
  await migrate(options.databaseUrl, definition.dbSchema, definition.migrationsFolder);
  const db = connect({
    url: options.databaseUrl,
    schema: definition.tables,
    max: options.poolSize,
    applicationName: definition.name,
  });
  const apollo = new ApolloServer<TContext>({
    schema: await definition.buildSchema(),
    formatError: formatError(isProduction()),
    includeStacktraceInErrorResponses: false,
    plugins: [ApolloServerPluginInlineTraceDisabled()],
  });
  const server = await startGraphQLHttpServer({
    apollo,
    port: options.port,
    host: options.host,
    context: async (req) => {
      const base = await authenticate(req);
      if (base.principal.kind === 'customer' && !definition.acceptsCustomerTokens) {
        throw forbidden(`The ${definition.name} subgraph is for staff only`, 403);
      }
      return definition.createContext(base, db);
    },
    routes: { '/health': (_req, res) => sendJson(res, 200, { status: 'ok', subgraph: definition.name }) },
  });
  const jobsDb =
    definition.background && options.background !== false
      ? connect({ url: options.databaseUrl, schema: definition.tables, max: 2, applicationName: `${definition.name}-jobs` })
      : undefined;
  const stopJobs = jobsDb ? definition.background!(jobsDb) : undefined;
  return {
    name: definition.name,
    url: server.url,
    db,
    async close() {
      stopJobs?.();
      await server.close();
      await Promise.all([db.close(), jobsDb?.close()]);
    },
  };
}

/** Subgraphs verify the token again: the gateway is not their only possible caller. */
export async function authenticate(req: IncomingMessage): Promise<BaseContext> {
  const token = bearerToken(req.headers.authorization);
  if (!token) throw unauthenticated();
  try {
    const principal = await verifyToken(token);
    return baseContext(principal, forwardedIp(req));
  } catch (error) {
    if (error instanceof InvalidTokenError) throw unauthenticated(error.message);
    throw error;
  }
}

/** The client's address as the gateway forwards it, else the socket's. */
function forwardedIp(req: IncomingMessage): string | undefined {
  const forwarded = req.headers['x-forwarded-for'];
  const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
  return first || req.socket.remoteAddress || undefined;
}
