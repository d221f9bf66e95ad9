/** `pnpm compose`: writes each subgraph's SDL and the composed supergraph under schema/. */
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { composeSupergraph } from '@cg/graph';

const schemaDir = resolve(import.meta.dirname, '../../schema');
const { subgraphSdls, supergraphSdl } = await composeSupergraph();
for (const [name, sdl] of Object.entries(subgraphSdls)) writeFileSync(join(schemaDir, `${name}.graphql`), sdl);
writeFileSync(join(schemaDir, 'supergraph.graphql'), supergraphSdl);
console.log(`Wrote ${Object.keys(subgraphSdls).length} subgraph schemas and supergraph.graphql to schema/`);
