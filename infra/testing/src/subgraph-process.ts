import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** A subgraph run alone, as in production: `services/<name>/src/main.ts` in a process of its own. */
export interface SubgraphProcess {
  name: string;
  url: string;
  process: ChildProcess;
  /** Whether the process is still running (neither exited nor killed by a signal). */
  alive(): boolean;
  /** Resumes it if stopped, asks it to shut down, and kills it after 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts a subgraph's own process on `databaseUrl`, on an ephemeral loopback port, with this
 * process's keys. `customerUrl`: where the others look up customers their directory lacks.
 */
export async function startSubgraphProcess(
  name: string,
  databaseUrl: string,
  options: { customerUrl?: string } = {},
): Promise<SubgraphProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', `services/${name}/src/main.ts`], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      PORT: '0',
      HOST: '127.0.0.1',
      ...(options.customerUrl ? { CUSTOMER_URL: options.customerUrl } : {}),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The ${name} subgraph did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
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
