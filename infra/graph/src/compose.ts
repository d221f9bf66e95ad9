import { composeServices } from '@apollo/composition';
import { parse } from 'graphql';
import { subgraphSdl } from '@cg/subgraph';
import { defaultSubgraphUrl, subgraphs } from './subgraphs.ts';

export interface Composition {
  /** Subgraph name → its SDL, as `schema/<name>.graphql` holds it. */
  subgraphSdls: Record<string, string>;
  supergraphSdl: string;
}

/** Builds every subgraph's schema and composes the supergraph, failing on composition errors. */
export async function composeSupergraph(): Promise<Composition> {
  const subgraphSdls: Record<string, string> = {};
  for (const definition of subgraphs) subgraphSdls[definition.name] = subgraphSdl(await definition.buildSchema());
  const result = composeServices(
    subgraphs.map((definition) => ({
      name: definition.name,
      url: defaultSubgraphUrl(definition),
      typeDefs: parse(subgraphSdls[definition.name]!),
    })),
  );
  if (result.errors) {
    throw new Error(`Supergraph composition failed:\n${result.errors.map((error) => `- ${error.message}`).join('\n')}`);
  }
  return { subgraphSdls, supergraphSdl: result.supergraphSdl };
}
