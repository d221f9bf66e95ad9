import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Vitest 4 reads projects from `test.projects` (a root vitest.workspace.ts is no longer read on its
 * own, so this file is passed with --config). Every project shares one PostgreSQL server.
 */
const shared = {
  globalSetup: ['packages/testing/src/global-setup.ts'],
  testTimeout: 60_000,
  hookTimeout: 120_000,
};
const graphqlDir = dirname(require.resolve('graphql/package.json', { paths: ['packages/subgraph'] }));
const resolve = {
  alias: [
    { find: /^graphql$/, replacement: join(graphqlDir, 'index.js') },
    { find: /^graphql\/(.*)$/, replacement: join(graphqlDir, '$1.js') },
  ],
};

// type-graphql, graphql-scalars and the Apollo packages must all see one `graphql` module; Vite
// would otherwise load its ESM build next to the CommonJS one ("another module or realm").
export default defineConfig({
  test: {
    projects: [
      { resolve, test: { ...shared, name: 'packages', include: ['packages/*/src/**/*.test.ts'] } },
      { resolve, test: { ...shared, name: 'services', include: ['services/*/src/**/*.test.ts'] } },
      { resolve, test: { ...shared, name: 'gateway', include: ['gateway/src/**/*.test.ts', 'infra/**/*.test.ts'] } },
      { resolve, test: { ...shared, name: 'browser', include: ['gateway/src/**/*.browser.ts'] } },
    ],
  },
});
