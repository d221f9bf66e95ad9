import 'reflect-metadata';
import { buildSchema, createResolversMap, type NonEmptyArray, type PubSub } from 'type-graphql';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])';

/** `__resolveReference` functions keyed by entity type name. */
export type ReferenceResolvers = Record<string, { __resolveReference: (reference: any, context: any, info: any) => unknown }>;

export interface SubgraphSchemaOptions {
  // type-graphql resolver classes; `Function` is what its own option type uses.
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  resolvers: NonEmptyArray<Function>;
  /** Entity stubs this subgraph only extends through field resolvers must be listed here. */
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  orphanedTypes?: Function[];
  references?: ReferenceResolvers;
  /** Only for a subgraph that serves its own subscriptions; see {@link GATEWAY_SERVED}. */
  pubSub?: PubSub;
}

/**
 * type-graphql wants a pubSub as soon as a resolver declares a `@Subscription`. The subgraphs only
 * declare subscription fields, for the supergraph: the gateway serves them over graphql-ws (Apollo
 * Server over HTTP executes no subscriptions), so this one refuses to be subscribed to.
 */
export const GATEWAY_SERVED: PubSub = {
  publish() {},
  subscribe() {
    throw new Error('Subscriptions are served by the gateway over graphql-ws, not by a subgraph');
  },
};

/**
 * type-graphql builds the types and resolvers; @apollo/subgraph adds `_entities`/`_service` and
 * the federation directives. The type-graphql schema is printed with its directives and rebuilt.
 */
export async function buildFederatedSchema(options: SubgraphSchemaOptions): Promise<GraphQLSchema> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: options.resolvers,
    orphanedTypes: options.orphanedTypes,
    skipCheck: true,
    validate: false,
    pubSub: options.pubSub ?? GATEWAY_SERVED,
  });
  const resolverMap = createResolversMap(typeGraphqlSchema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(options.references ?? {})) {
    resolverMap[typeName] = { ...resolverMap[typeName], ...reference };
  }
  return buildSubgraphSchema([
    {
      typeDefs: gql`${FEDERATION_LINK}\n${printSchemaWithDirectives(typeGraphqlSchema)}`,
      resolvers: resolverMap as never,
    },
  ]);
}

/** The SDL the gateway composes (what `_service { sdl }` would answer). */
export function subgraphSdl(schema: GraphQLSchema): string {
  return printSubgraphSchema(schema);
}
