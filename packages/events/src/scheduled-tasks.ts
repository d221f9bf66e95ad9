import { Logger, parseCronItems, run } from 'graphile-worker';
import type { Database } from '@cg/db';
import { supervisedRunner } from './supervised-runner.ts';

/**
 * Work a subgraph does on a clock rather than on a request or an event (points expiring,
 * birthdays). graphile-worker's cron, on the queue the events already use, decides when: every
 * process of the subgraph runs the same schedule, and its `known_crontabs` row lets exactly one of
 * them queue each due run, so several replicas do the work once. Runs missed while every process
 * was down are queued when one starts again, as far back as `catchUpHours`.
 */
export interface ScheduledTask<TTables extends Record<string, unknown> = Record<string, unknown>> {
  /** Unique across the graph (it names the cron entry, the task and its queue), e.g. `engagement:loyalty-hourly`. */
  name: string;
  /** A crontab pattern, in UTC. */
  pattern: string;
  /** How far back a run missed during downtime is still made up for. */
  catchUpHours: number;
  /**
   * Does the work as of `at`, the time the run was due, so that a run made up for later works as
   * it would have then. Must be idempotent: graphile-worker tries a failed run again.
   */
  run(db: Database<TTables>, at: Date): Promise<void>;
}

export interface ScheduledTasks {
  stop(): Promise<void>;
}

const logger = new Logger(() => (level, message) => {
  if (level === 'error') console.error(`[scheduled] ${message}`);
});

/** graphile-worker's payload of a cron job: when it was due, and whether it is made up for. */
interface CronPayload {
  _cron?: { ts?: string; backfilled?: boolean };
}

/**
 * The schedule's own graphile-worker schema. Each poll for a job locks every free job queue of its
 * schema for a moment (graphile-worker's `for update skip locked` on the queues), whatever tasks the
 * poller runs; in the delivery's schema, the schedule's polls every second would make a delivery
 * worker asking at that moment find nothing and sleep until its next poll.
 */
const SCHEDULE_SCHEMA = 'graphile_worker_schedule';

export async function startScheduledTasks<TTables extends Record<string, unknown>>(options: {
  db: Database<TTables>;
  brokerUrl: string;
  tasks: readonly ScheduledTask<TTables>[];
  pollIntervalMs?: number;
}): Promise<ScheduledTasks> {
  const { tasks } = options;
  const cron = parseCronItems(
    tasks.map((task) => ({
      task: task.name,
      identifier: task.name,
      match: task.pattern,
      // One queue per task: runs made up for go one after another, oldest first.
      options: { backfillPeriod: task.catchUpHours * 3_600_000, queueName: task.name, maxAttempts: 10 },
    })),
  );
  const taskList = Object.fromEntries(
    tasks.map((task) => [
      task.name,
      async (payload: unknown) => {
        const due = (payload as CronPayload)._cron?.ts;
        await task.run(options.db, due ? new Date(due) : new Date());
      },
    ]),
  );
  const start = () =>
    run({
      connectionString: options.brokerUrl,
      schema: SCHEDULE_SCHEMA,
      // One task at a time; its own pool holds the LISTEN connection and the worker's.
      concurrency: 1,
      maxPoolSize: 2,
      pollInterval: options.pollIntervalMs ?? 1000,
      noHandleSignals: true,
      logger,
      parsedCronItems: cron,
      taskList,
    });

  return supervisedRunner({ start, waitMs: options.pollIntervalMs ?? 1000 });
}
