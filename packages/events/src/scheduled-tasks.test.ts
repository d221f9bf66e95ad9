import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, inject, it } from 'vitest';
import postgres from 'postgres';
import { connect, dropDatabase, ensureDatabase, withDatabase, type Database } from '@cg/db';
import { startScheduledTasks, type ScheduledTask, type ScheduledTasks } from './scheduled-tasks.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    adminDatabaseUrl: string;
  }
}

const adminUrl = inject('adminDatabaseUrl');
const databaseName = `scheduled_tasks_${randomUUID().slice(0, 8)}`;
const url = withDatabase(adminUrl, databaseName);
let sql: postgres.Sql;
let db: Database;
const running: ScheduledTasks[] = [];

beforeAll(async () => {
  await ensureDatabase(adminUrl, databaseName);
  sql = postgres(url, { max: 2, onnotice: () => {} });
  db = connect({ url, schema: {}, max: 2 });
  await sql`create table runs (task text not null, at timestamptz not null, process int not null)`;
});
afterAll(async () => {
  for (const tasks of running) await tasks.stop();
  await db?.close();
  await sql?.end();
  await dropDatabase(adminUrl, databaseName);
});

/** A task that records each run: which process made it and for which due time. */
const recording = (name: string, process: number): ScheduledTask => ({
  name,
  pattern: '0 3 * * *',
  catchUpHours: 24 * 7,
  async run(database, at) {
    await database.sql`insert into runs (task, at, process) values (${name}, ${at.toISOString()}::timestamptz, ${process})`;
  },
});

const start = async (task: ScheduledTask) => {
  const tasks = await startScheduledTasks({ db, brokerUrl: url, tasks: [task], pollIntervalMs: 100 });
  running.push(tasks);
  return tasks;
};

const until = async (condition: () => Promise<boolean>, ms = 20_000) => {
  const deadline = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
};

it('makes up for the runs missed while every process was down, each once, however many processes start', async () => {
  const name = `daily-${randomUUID().slice(0, 8)}`;
  // Known since 3 days and 2 hours ago (its last run then): graphile-worker registers the entry
  // on a first start, and the processes were down since.
  await (await start(recording(name, 0))).stop();
  await sql`update graphile_worker_schedule._private_known_crontabs
    set last_execution = date_trunc('day', now()) - interval '3 days' + interval '1 hour'
    where identifier = ${name}`;

  // Three replicas start together.
  await Promise.all([1, 2, 3].map((process) => start(recording(name, process))));
  const due = (
    await sql<{ at: Date }[]>`
    select g as at from generate_series(
      date_trunc('day', now()) - interval '3 days' + interval '3 hours', now(), interval '1 day') as g`
  ).map((row) => row.at.toISOString());
  expect(due.length).toBeGreaterThanOrEqual(3);
  await until(async () => (await sql`select 1 from runs where task = ${name}`).length >= due.length);
  // Let any run queued twice show up.
  await new Promise((resolve) => setTimeout(resolve, 1000));
  const runs = await sql<{ at: Date }[]>`select at from runs where task = ${name} order by at`;
  // Once per due time, with the time it was due, oldest first.
  expect(runs.map((row) => row.at.toISOString())).toEqual(due);
});
