import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * Vitest 4 reads projects from `test.projects` (a root vitest.workspace.ts is no longer read on its
 * own, so this file is passed with --config). Every project shares one PostgreSQL server.
 */
/**
 * The run's own keys, new for every run: no secret lives in the repository, and a token from
 * another run (or from `pnpm start`) means nothing here. Processes that tests start inherit them.
 */
const env = {
  AUTH_SECRET: randomBytes(32).toString('base64url'),
  ASSERTION_SECRET: randomBytes(32).toString('base64url'),
  CONTACT_HASH_SECRET: randomBytes(32).toString('base64url'),
};
const shared = {
  env,
  globalSetup: ['infra/testing/src/global-setup.ts'],
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
// Unit tests (`*.unit.test.ts`) need no database; every other project shares the run's PostgreSQL.
const unit = '**/*.unit.test.ts';
export default defineConfig({
  test: {
    projects: [
      { resolve, test: { env, name: 'unit', include: [unit], exclude: ['**/node_modules/**'] } },
      { resolve, test: { ...shared, name: 'packages', include: ['packages/*/src/**/*.test.ts'], exclude: [unit] } },
      { resolve, test: { ...shared, name: 'services', include: ['services/*/src/**/*.test.ts'], exclude: [unit] } },
      {
        resolve,
        test: {
          ...shared,
          name: 'gateway',
          include: ['gateway/src/**/*.test.ts', 'infra/**/*.test.ts'],
          exclude: [unit, 'infra/e2e/**', '**/node_modules/**'],
        },
      },
      { resolve, test: { ...shared, name: 'e2e', include: ['infra/e2e/**/*.test.ts'], exclude: [unit] } },
      { resolve, test: { ...shared, name: 'browser', include: ['gateway/src/**/*.browser.ts'] } },
    ],
  },
});
