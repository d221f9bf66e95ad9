import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const OUTPUT_BYTES = 64 * 1024;

/** A subgraph run alone, as in production: `services/<name>/src/main.ts` in a process of its own. */
export interface SubgraphProcess {
  name: string;
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
 * Starts a subgraph's own process on `databaseUrl`, on an ephemeral loopback port, with this
 * process's keys. `customerUrl`: where the others look up customers their directory lacks;
 * `poolSize`: the connections of its request pool (`DATABASE_POOL_SIZE`); `eventsConcurrency`: the
 * event jobs its consumer runs at once (`EVENTS_CONCURRENCY`).
 */
export async function startSubgraphProcess(
  name: string,
  databaseUrl: string,
  options: { customerUrl?: string; poolSize?: number; eventsConcurrency?: number } = {},
): Promise<SubgraphProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      ...(options.customerUrl ? { CUSTOMER_URL: options.customerUrl } : {}),
      ...(options.poolSize ? { DATABASE_POOL_SIZE: String(options.poolSize) } : {}),
      ...(options.eventsConcurrency ? { EVENTS_CONCURRENCY: String(options.eventsConcurrency) } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The ${name} subgraph did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_BYTES);
      const match = / subgraph at (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`The ${name} subgraph exited with ${code}:\n${output}`)));
  });
  return {
    name,
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
