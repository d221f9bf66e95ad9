/**
 * A stock `@apollo/gateway`: ApolloServer's standalone server, ApolloGateway on the same
 * supergraph, a RemoteGraphQLDataSource per subgraph with its default fetcher, adding the headers
 * our subgraphs require (subgraph-headers.ts).
 */
import { readFileSync } from 'node:fs';
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import type { GatewayContext } from '@cg/gateway';
import type { GatewaySettings } from './ours-process.ts';
import { announce, processSettings } from './processes.ts';
import { accessUrlOf, operationContext, subgraphHeaders } from './subgraph-headers.ts';

const settings = processSettings<GatewaySettings>();
const accessUrl = accessUrlOf(settings.subgraphUrls.customer!);
const gateway = new ApolloGateway({
  supergraphSdl: readFileSync(settings.supergraphPath, 'utf8'),
  buildService: ({ url }) =>
    new RemoteGraphQLDataSource<GatewayContext>({
      url,
      async willSendRequest({ request, context }) {
        if (!('principal' in context)) return;
        for (const [name, value] of Object.entries(await subgraphHeaders(context as GatewayContext, accessUrl)))
          request.http?.headers.set(name, value);
      },
    }),
});
const server = new ApolloServer<GatewayContext>({ gateway });
const { url } = await startStandaloneServer(server, {
  listen: { port: 0, host: '127.0.0.1' },
  context: ({ req }) => operationContext(req),
});
announce(url, () => server.stop());
