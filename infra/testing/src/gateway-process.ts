import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const OUTPUT_BYTES = 64 * 1024;

/** The gateway run alone, as in production: `gateway/src/main.ts` in a process of its own. */
export interface GatewayProcess {
  url: string;
  process: ChildProcess;
  alive(): boolean;
  /** What it has printed so far, the last 64 kB of it: for a failing test's message. */
  output(): string;
  /** Asks it to shut down, and kills it after 10 s. */
  stop(): Promise<void>;
}

/**
 * Starts a gateway process on an ephemeral loopback port with this process's keys, in front of
 * `subgraphUrls` (name → GraphQL URL, passed as `<NAME>_URL`), with live updates on
 * `customerDatabaseUrl`, the customer subgraph's database.
 */
export async function startGatewayProcess(
  subgraphUrls: Record<string, string>,
  customerDatabaseUrl: string,
): Promise<GatewayProcess> {
  const urls = Object.fromEntries(
    Object.entries(subgraphUrls).map(([name, url]) => [`${name.toUpperCase().replace(/-/g, '_')}_URL`, url]),
  );
  const child = spawn(process.execPath, ['--import', 'tsx', 'gateway/src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...urls, PORT: '0', HOST: '127.0.0.1', CUSTOMER_DATABASE_URL: customerDatabaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const alive = () => child.exitCode === null && child.signalCode === null;
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The gateway did not start:\n${output}`)), 60_000);
    const read = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-OUTPUT_BYTES);
      const match = /gateway at (\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`The gateway exited with ${code}:\n${output}`)));
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
        child.kill('SIGTERM');
      }),
  };
}
