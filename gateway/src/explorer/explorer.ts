import { createReadStream, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RouteHandler } from '@cg/http';

/** Read on every page load, so a caller may fill it in after the gateway has started. */
export interface ExplorerOptions {
  /** Pre-filled Authorization token (the launcher's demo token). */
  token?: string;
  /** Operations shown in the editor; defaults to `examples.graphql`. */
  query?: string;
  variables?: Record<string, unknown>;
}

const require = createRequire(import.meta.url);
const REACT = dirname(require.resolve('react/package.json'));
const REACT_DOM = dirname(require.resolve('react-dom/package.json'));
const GRAPHIQL = dirname(require.resolve('graphiql/package.json'));

/**
 * Served from the project's own dependencies, so the explorer works without a network. GraphiQL's
 * bundle includes the graphql-ws client its `subscriptionUrl` uses.
 */
const ASSETS: Record<string, { path: string; type: string }> = {
  '/explorer/react.js': { path: join(REACT, 'umd/react.production.min.js'), type: 'text/javascript' },
  '/explorer/react-dom.js': { path: join(REACT_DOM, 'umd/react-dom.production.min.js'), type: 'text/javascript' },
  '/explorer/graphiql.js': { path: join(GRAPHIQL, 'graphiql.min.js'), type: 'text/javascript' },
  '/explorer/graphiql.css': { path: join(GRAPHIQL, 'graphiql.min.css'), type: 'text/css' },
};

export const EXAMPLE_OPERATIONS = readFileSync(new URL('./examples.graphql', import.meta.url), 'utf8');

export function explorerRoutes(options: ExplorerOptions): { page: RouteHandler; assets: Record<string, RouteHandler> } {
  const assets = Object.fromEntries(
    Object.entries(ASSETS).map(([route, asset]): [string, RouteHandler] => [
      route,
      (_req, res) => {
        res.writeHead(200, { 'content-type': asset.type, 'cache-control': 'public, max-age=3600' });
        createReadStream(asset.path).pipe(res);
      },
    ]),
  );
  return {
    // Rendered per request: the launcher fills in the token once demo data exists.
    page: (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(renderPage(options));
    },
    assets,
  };
}

/**
 * The explorer reads the schema by introspection; where introspection is off (production, unless
 * ALLOW_INTROSPECTION=true) a browser gets this notice at the GraphQL URL instead.
 */
export const introspectionOffPage: RouteHandler = (_req, res) => {
  res.writeHead(404, { 'content-type': 'text/html; charset=utf-8' }).end(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8" /><title>Customer graph</title></head>
<body>
  <h1>Customer graph</h1>
  <p>This is the GraphQL endpoint: POST operations here with <code>Authorization: Bearer &lt;token&gt;</code>.</p>
  <p>The explorer is not served because introspection is off in production. Set
  <code>ALLOW_INTROSPECTION=true</code> to turn both on.</p>
</body>
</html>`);
};

/** JSON inside a <script> element must not be able to close it. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function renderPage(options: ExplorerOptions): string {
  const config = {
    query: options.query ?? EXAMPLE_OPERATIONS,
    variables: options.variables ? JSON.stringify(options.variables, null, 2) : undefined,
    headers: JSON.stringify(
      options.token ? { Authorization: `Bearer ${options.token}` } : { Authorization: 'Bearer <token>' },
      null,
      2,
    ),
  };
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8" />
  <title>Customer graph explorer</title>
  <link rel="stylesheet" href="/explorer/graphiql.css" />
  <style>html, body, #explorer { height: 100%; margin: 0; }</style>
</head>
<body>
  <div id="explorer">Loading the explorer…</div>
  <script src="/explorer/react.js"></script>
  <script src="/explorer/react-dom.js"></script>
  <script src="/explorer/graphiql.js"></script>
  <script>
    const config = ${scriptJson(config)};
    // Subscriptions go over graphql-ws on the same URL; the Headers pane becomes connection_init's payload.
    const subscriptionUrl = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + location.pathname;
    const graphqlFetcher = GraphiQL.createFetcher({ url: location.pathname, subscriptionUrl });
    // "{fresh}" in the operations or the variables becomes a new token on every run, so that an
    // example that creates something (a customer with a new email) can be run again and again.
    const freshen = (value, token) =>
      typeof value === 'string'
        ? value.replaceAll('{fresh}', token)
        : Array.isArray(value)
          ? value.map((item) => freshen(item, token))
          : value && typeof value === 'object'
            ? Object.fromEntries(Object.entries(value).map(([key, item]) => [key, freshen(item, token)]))
            : value;
    const fetcher = (params, options) => {
      const token = Date.now().toString(36) + Math.random().toString(36).slice(2, 8);
      return graphqlFetcher(
        { ...params, query: freshen(params.query, token), variables: freshen(params.variables, token) },
        options,
      );
    };
    ReactDOM.createRoot(document.getElementById('explorer')).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultTabs: [{ query: config.query, variables: config.variables, headers: config.headers }],
        defaultQuery: config.query,
        defaultHeaders: config.headers,
        variables: config.variables,
        defaultEditorToolsVisibility: true,
        shouldPersistHeaders: true,
      }),
    );
  </script>
</body>
</html>`;
}
