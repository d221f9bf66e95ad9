import 'reflect-metadata';
import { buildSchema, createResolversMap, type NonEmptyArray, type PubSub } from 'type-graphql';
import { buildSubgraphSchema, printSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import type { GraphQLFieldResolver, GraphQLSchema } from 'graphql';
import gql from 'graphql-tag';
import { StaffAction } from '@cg/auth';
import { guardArguments } from './arguments.ts';
import { assertFieldAudiences, isInternalType } from './audience.ts';
import { assertRootFieldsAuthorized, authChecker, requireAction } from './authorization.ts';
import type { BaseContext } from './context.ts';
import { forbidden } from './errors.ts';

export const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@inaccessible", "@tag"])';

/** `__resolveReference` functions keyed by entity type name. */
export type ReferenceResolvers = Record<
  string,
  { __resolveReference: (reference: any, context: any, info: any) => unknown }
>;

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
const GATEWAY_SERVED: PubSub = {
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
    authChecker,
    authMode: 'error',
  });
  assertRootFieldsAuthorized(options.resolvers);
  assertFieldAudiences(typeGraphqlSchema, options.resolvers);
  const resolverMap = createResolversMap(typeGraphqlSchema) as Record<string, Record<string, unknown>>;
  for (const [typeName, reference] of Object.entries(options.references ?? {})) {
    resolverMap[typeName] = { ...resolverMap[typeName], ...reference };
  }
  const schema = buildSubgraphSchema([
    {
      typeDefs: gql`
        ${FEDERATION_LINK}
        ${printSchemaWithDirectives(typeGraphqlSchema)}
      `,
      resolvers: resolverMap as never,
    },
  ]);
  guardEntities(schema);
  guardArguments(schema);
  return schema;
}

/**
 * `_entities` is how the gateway reads one subgraph's fields of an entity another subgraph found;
 * called directly, it would be a way around the root fields' rules. Staff need CUSTOMERS_READ for it,
 * customers are confined to their own rows by the services and row-level security, and guests
 * read nothing but the orders their lookup returns. Types only staff reach (`@InternalType()`) are
 * no entity a customer may resolve.
 */
function guardEntities(schema: GraphQLSchema): void {
  const field = schema.getQueryType()?.getFields()._entities;
  if (!field?.resolve) return;
  const resolve: GraphQLFieldResolver<unknown, BaseContext> = field.resolve;
  field.resolve = (source, args, context, info) => {
    if (context.principal.kind === 'guest') throw forbidden('Sign in to do this');
    if (context.principal.kind === 'staff') requireAction(context, StaffAction.CUSTOMERS_READ);
    else if (representationsOf(args).some((typename) => isInternalType(schema.getType(typename))))
      throw forbidden('A customer account cannot do this');
    return resolve(source, args, context, info);
  };
}

const representationsOf = (args: Record<string, unknown>): string[] =>
  Array.isArray(args.representations)
    ? args.representations.map((representation: { __typename?: unknown }) => String(representation?.__typename))
    : [];

/** The SDL the gateway composes (what `_service { sdl }` would answer). */
export function subgraphSdl(schema: GraphQLSchema): string {
  return printSubgraphSchema(schema);
}
