/**
 * Each server of the benchmark runs in a process of its own (`node --import tsx <entry>`), told
 * what to do by the BENCH_PROCESS environment variable (JSON) and answering, over the IPC
 * channel, `{ url }` once it listens. Closing the channel (or SIGTERM) stops it.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../../..');
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 5_000;

export interface BenchProcess {
  name: string;
  pid: number;
  url: string;
  stop(): Promise<void>;
}

/** What a process entry reads: its BENCH_PROCESS settings. */
export function processSettings<T>(): T {
  const raw = process.env.BENCH_PROCESS;
  if (!raw) throw new Error('BENCH_PROCESS is not set: this file is started by `pnpm bench:gateway`');
  return JSON.parse(raw) as T;
}

/** Tells the parent where the process listens, and stops it when the parent goes. */
export function announce(url: string, close: () => Promise<void>) {
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGTERM', stop);
  process.once('disconnect', stop);
  process.send!({ url });
}

export function startProcess(
  name: string,
  entry: string,
  settings: unknown,
  env: Record<string, string | undefined> = {},
): Promise<BenchProcess> {
  const child: ChildProcess = fork(resolve(import.meta.dirname, entry), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, NODE_ENV: 'production', ...env, BENCH_PROCESS: JSON.stringify(settings) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  };
  return new Promise((resolveStart, rejectStart) => {
    const timer = setTimeout(() => {
      void stop();
      rejectStart(new Error(`${name} did not start within ${START_TIMEOUT_MS / 1000} s`));
    }, START_TIMEOUT_MS);
    child.once('message', (message: { url?: string }) => {
      clearTimeout(timer);
      if (!message.url) return rejectStart(new Error(`${name} sent ${JSON.stringify(message)}`));
      resolveStart({ name, pid: child.pid!, url: message.url, stop });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      rejectStart(new Error(`${name} exited before it was ready (${signal ?? `code ${code}`})`));
    });
  });
}
