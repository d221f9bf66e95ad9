// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const SERVICES = ['customer', 'commerce-history', 'engagement', 'consent'];

/**
 * Import boundaries: a shared package never reaches into a service, the gateway or the launcher;
 * a service never imports another service (they talk through events and the gateway only); the
 * gateway knows the subgraphs by their composed schema, not by their code.
 */
function forbid(names, message) {
  return {
    'no-restricted-imports': [
      'error',
      {
        patterns: names.flatMap((name) => [
          { group: [`@cg/${name}`, `@cg/${name}/*`], message },
          { group: [`**/${name}/src/**`], message },
        ]),
      },
    ],
  };
}

export default tseslint.config(
  {
    ignores: ['**/node_modules/', '.data/', 'schema/', '**/db/migrations/', 'coverage/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', 'infra/scripts/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { arguments: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // GraphQL responses and driver rows are untyped at the edges; `any` is allowed there.
      '@typescript-eslint/no-explicit-any': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['packages/**'],
    rules: forbid(
      [...SERVICES, 'gateway', 'graph', 'testing', 'infra'],
      'Shared packages never import a service, the gateway or the launcher.',
    ),
  },
  ...SERVICES.map((service) => ({
    files: [`services/${service}/**`],
    rules: forbid(
      [...SERVICES.filter((other) => other !== service), 'gateway', 'graph'],
      'A service never imports another service or the gateway: subgraphs talk through events.',
    ),
  })),
  {
    files: ['gateway/**'],
    rules: forbid([...SERVICES, 'graph'], 'The gateway knows the subgraphs by their composed schema only.'),
  },
);
