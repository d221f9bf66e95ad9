/**
 * The benchmarks' PostgreSQL: an embedded server in a temporary folder, or, when DATABASE_URL names
 * a server, a fresh `cg_bench_<random>` database on it. Either is thrown away by `close()`.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { dropDatabase, ensureDatabase, startEmbeddedPostgres, withDatabase } from '@cg/db';

export interface BenchDatabase {
  /** Whether it is a database kept from an earlier run (`keepIn`), rather than a new one. */
  kept: boolean;
  /** The bench database's URL. */
  url: string;
  name: string;
  /** Where it runs, for the logs: `DATABASE_URL` or `an embedded PostgreSQL`. */
  where: string;
  close(): Promise<void>;
}

/**
 * The embedded server is sized for the machine rather than left at initdb's 128 MB of buffers, and
 * loads in bulk without WAL it does not need (nothing replicates or archives a throwaway server).
 * Autovacuum is off: the data is written once and then only read, and data.ts ends with VACUUM
 * (ANALYZE) of every table, so it would only compete with the load for the two cores.
 */
const BULK_LOAD_SETTINGS = {
  shared_buffers: '4GB',
  effective_cache_size: '12GB',
  work_mem: '32MB',
  maintenance_work_mem: '1GB',
  max_parallel_maintenance_workers: 2,
  wal_level: 'minimal',
  max_wal_senders: 0,
  full_page_writes: 'off',
  max_wal_size: '8GB',
  checkpoint_timeout: '30min',
  autovacuum: 'off',
};

/**
 * With `keepIn`, an embedded server whose data stays in that folder with one `cg_bench` database,
 * which later runs reuse: a data set that takes an hour to generate is then timed again in minutes.
 */
/** A kept server's data is as disposable as a temporary one's: no durability either. */
const KEPT_SETTINGS = { ...BULK_LOAD_SETTINGS, fsync: 'off', synchronous_commit: 'off' };

export async function startBenchDatabase(options: { keepIn?: string } = {}): Promise<BenchDatabase> {
  const steps: (() => Promise<unknown>)[] = [];
  const close = async () => {
    for (const step of steps.reverse()) await step().catch((error: unknown) => console.error(error));
    steps.length = 0;
  };
  try {
    if (options.keepIn) {
      const dataDir = join(options.keepIn, 'pg');
      const kept = existsSync(join(dataDir, 'PG_VERSION'));
      const embedded = await startEmbeddedPostgres({ dataDir, persistent: true, settings: KEPT_SETTINGS });
      steps.push(() => embedded.stop());
      await ensureDatabase(embedded.url, 'cg_bench');
      return {
        kept,
        url: withDatabase(embedded.url, 'cg_bench'),
        name: 'cg_bench',
        where: `an embedded PostgreSQL kept in ${options.keepIn}`,
        close,
      };
    }
    let adminUrl = process.env.DATABASE_URL;
    if (!adminUrl) {
      const folder = mkdtempSync(join(os.tmpdir(), 'cg-bench-'));
      steps.push(async () => rmSync(folder, { recursive: true, force: true }));
      const embedded = await startEmbeddedPostgres({
        dataDir: join(folder, 'pg'),
        persistent: false,
        settings: process.env.NO_BULK ? {} : BULK_LOAD_SETTINGS,
      });
      steps.push(() => embedded.stop());
      adminUrl = embedded.url;
    }
    const name = `cg_bench_${randomBytes(6).toString('hex')}`;
    await ensureDatabase(adminUrl, name);
    const admin = adminUrl;
    steps.push(() => dropDatabase(admin, name));
    return {
      kept: false,
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
