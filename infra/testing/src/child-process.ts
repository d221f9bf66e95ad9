import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const OUTPUT_BYTES = 64 * 1024;

/** A part of the graph run in a process of its own, as in production. */
export interface ServiceProcess {
  url: string;
  process: ChildProcess;
  /** Whether the process is still running (neither exited nor killed by a signal). */
  alive(): boolean;
  /** What it has printed so far, the last 64 kB of it: for a failing test's message. */
  output(): string;
  /** Resumes it if stopped, asks it to shut down, and kills it after 10 s. */
  stop(): Promise<void>;
}

/**
 * Runs `entry` (a path from the repository root) with tsx and `env` added to this process's
 * environment, and waits up to a minute for it to print `<label> at <url>`.
 */
export async function startServiceProcess(
  entry: string,
  label: string,
  env: Record<string, string>,
): Promise<ServiceProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  const listening = new RegExp(`${label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} at (\\S+)`);
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The ${label} did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_BYTES);
      const match = listening.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`The ${label} exited with ${code}:\n${output}`)));
  });
  return {
    url,
    process: child,
    alive,
    output: () => output,
    stop: () =>
      new Promise<void>((resolve) => {
        if (!alive()) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => resolve(clearTimeout(force)));
        child.kill('SIGCONT');
        child.kill('SIGTERM');
      }),
  };
}
