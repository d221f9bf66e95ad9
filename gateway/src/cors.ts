import type { IncomingMessage, ServerResponse } from 'node:http';
import cors from 'cors';
import { STORE_HEADER } from '@cg/auth';
import { appendVary } from '@cg/http';

export interface CorsOptions {
  /**
   * Origins (`https://admin.example.com`, scheme, host and port only) whose pages may call the
   * GraphQL endpoint from a browser; falls back to `CORS_ORIGINS` (comma-separated), then none.
   */
  origins?: string[];
  /**
   * Also allows pages from localhost, 127.0.0.1 and [::1] on any port, and the gateway's own
   * origin (the explorer's). Defaults to on outside production.
   */
  development?: boolean;
}

export interface CorsPolicy {
  origins: ReadonlySet<string>;
  development: boolean;
}

/** What a browser client sends beyond the CORS-safelisted headers. */
export const CORS_ALLOWED_HEADERS = [
  'content-type',
  'authorization',
  STORE_HEADER,
  // Apollo's CSRF prevention asks a client for one of these two when it sends no JSON body.
  'apollo-require-preflight',
  'x-apollo-operation-name',
  // Apollo Client names itself with these (client awareness).
  'apollographql-client-name',
  'apollographql-client-version',
];
export const CORS_METHODS = ['GET', 'POST', 'OPTIONS'];
/** How long a browser may reuse a preflight's answer, in seconds (Chromium caps it at 7200). */
export const CORS_MAX_AGE_SECONDS = 600;

/**
 * The origin a browser would send for `text` (lower-case scheme and host, no default port), or
 * undefined for anything that is not a bare http(s) origin (a path, credentials, `null`).
 */
export function normalizeOrigin(text: string): string | undefined {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    return undefined;
  }
  return url.origin;
}

/** The allow-list from the option or `CORS_ORIGINS`; a malformed entry fails the start. */
export function corsPolicy(
  options: CorsOptions = {},
  production: boolean,
  env: NodeJS.ProcessEnv = process.env,
): CorsPolicy {
  const entries = options.origins ?? (env.CORS_ORIGINS ?? '').split(',').filter((entry) => entry.trim() !== '');
  const origins = new Set<string>();
  for (const entry of entries) {
    const origin = normalizeOrigin(entry);
    if (!origin) {
      throw new Error(
        `CORS_ORIGINS: "${entry.trim()}" is not an origin (scheme, host and optional port, e.g. https://admin.example.com)`,
      );
    }
    origins.add(origin);
  }
  return { origins, development: options.development ?? !production };
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether a page of `origin` may read the gateway's answers. `host` is the request's Host header:
 * in development the gateway's own origin (the explorer's) is allowed whichever name it was
 * reached by.
 */
export function isAllowedOrigin(origin: string | undefined, policy: CorsPolicy, host?: string): boolean {
  if (!origin || origin === 'null') return false;
  const normalized = normalizeOrigin(origin);
  if (!normalized) return false;
  if (policy.origins.has(normalized)) return true;
  if (!policy.development) return false;
  const url = new URL(normalized);
  return LOOPBACK.has(url.hostname) || (host !== undefined && url.host === host.toLowerCase());
}

/**
 * CORS on the GraphQL path, with the `cors` package: an allowed origin gets its origin reflected,
 * credentials and, for a preflight, a 204 with the methods, headers and max-age; any other origin
 * gets no CORS header, so its browser withholds the answer, and its preflight goes on to Apollo,
 * whose CSRF prevention refuses it. Returns true when it answered the request (a preflight).
 */
export function corsHandler(policy: CorsPolicy): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  const middleware = cors((req, callback) => {
    const request = req as IncomingMessage;
    const allowed = isAllowedOrigin(request.headers.origin, policy, request.headers.host);
    callback(null, {
      origin: allowed,
      credentials: true,
      methods: CORS_METHODS,
      allowedHeaders: CORS_ALLOWED_HEADERS,
      maxAge: CORS_MAX_AGE_SECONDS,
      optionsSuccessStatus: 204,
    });
  });
  return (req, res) => {
    // The answer depends on the origin whether it is allowed or not: caches must keep them apart.
    appendVary(res, 'Origin');
    return new Promise<boolean>((resolve, reject) => {
      middleware(req, res, (error?: unknown) => {
        if (error) reject(error instanceof Error ? error : new Error(String(error)));
        else resolve(false);
      });
      // A preflight is answered at once, without calling on.
      if (res.writableEnded) resolve(true);
    });
  };
}
