/**
 * CPU time of processes from /proc/<pid>/stat (user + system), in milliseconds: the gateway and
 * subgraph processes by pid, PostgreSQL as the backends connected to the bench database.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type postgres from 'postgres';

const TICKS_PER_SECOND = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** utime + stime of a process in ms, or undefined when /proc does not show it (gone, or another machine). */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces; the fields after it are space separated.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

function isPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres');
  } catch {
    return false;
  }
}

/**
 * The backends serving the bench database, read through `sql` (whose own backend is left out).
 * Pools keep their connections through a run, so a backend's time before and after a timed run
 * is what that run cost it; one that connected meanwhile counts whole.
 */
export class PostgresCpu {
  constructor(private readonly sql: postgres.Sql) {}

  async sample(): Promise<Map<number, number> | undefined> {
    const rows = await this.sql<{ pid: number }[]>`
      select pid from pg_stat_activity
      where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid()`;
    const sample = new Map<number, number>();
    for (const { pid } of rows) {
      // A server in another PID namespace (a container) has its backends' pids name other processes here.
      if (!isPostgres(pid)) return undefined;
      const ms = processCpuMs(pid);
      if (ms === undefined) return undefined;
      sample.set(pid, ms);
    }
    return sample;
  }

  static spent(before: Map<number, number> | undefined, after: Map<number, number> | undefined): number | undefined {
    if (!before || !after) return undefined;
    let total = 0;
    for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
    return total;
  }
}
