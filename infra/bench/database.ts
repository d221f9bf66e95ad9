/**
 * The benchmarks' PostgreSQL: an embedded server in a temporary folder, or, when DATABASE_URL names
 * a server, a fresh `cg_bench_<random>` database on it. Either is thrown away by `close()`.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { dropDatabase, ensureDatabase, startEmbeddedPostgres, withDatabase } from '@cg/db';

export interface BenchDatabase {
  /** The bench database's URL. */
  url: string;
  name: string;
  /** Where it runs, for the logs: `DATABASE_URL` or `an embedded PostgreSQL`. */
  where: string;
  close(): Promise<void>;
}

export async function startBenchDatabase(): Promise<BenchDatabase> {
  const steps: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const step of steps.reverse()) await step().catch((error: unknown) => console.error(error));
    steps.length = 0;
  };
  try {
    let adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) {
      const folder = mkdtempSync(join(os.tmpdir(), 'cg-bench-'));
      steps.push(async () => rmSync(folder, { recursive: true, force: true }));
      const embedded = await startEmbeddedPostgres({ dataDir: join(folder, 'pg'), persistent: false });
      steps.push(() => embedded.stop());
      adminUrl = embedded.url;
    }
    const name = `cg_bench_${randomBytes(6).toString('hex')}`;
    await ensureDatabase(adminUrl, name);
    const admin = adminUrl;
    steps.push(() => dropDatabase(admin, name));
    return {
      url: withDatabase(adminUrl, name),
      name,
      where: process.env.DATABASE_URL ? 'DATABASE_URL' : 'an embedded PostgreSQL',
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
