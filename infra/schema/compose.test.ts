import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { composeSupergraph } from '@cg/graph';

const schemaFile = (name: string) => readFileSync(new URL(`../../schema/${name}.graphql`, import.meta.url), 'utf8');

it('schema/ holds exactly what `pnpm compose` produces', async () => {
  const { subgraphSdls, supergraphSdl } = await composeSupergraph();
  for (const [name, sdl] of Object.entries(subgraphSdls)) {
    expect(schemaFile(name), `schema/${name}.graphql is stale: run pnpm compose`).toBe(sdl);
  }
  expect(schemaFile('supergraph'), 'schema/supergraph.graphql is stale: run pnpm compose').toBe(supergraphSdl);
});
