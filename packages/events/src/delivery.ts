import { createHash } from 'node:crypto';
import { asc, inArray, isNull, sql } from 'drizzle-orm';
import { getTableConfig } from 'drizzle-orm/pg-core';
import { EventEmitter } from 'node:events';
import { Logger, makeWorkerUtils, run, type Runner, type WorkerEvents, type WorkerUtils } from 'graphile-worker';
import { isConnectionLoss, type Database, type Tx } from '@cg/db';
import { EVENT_ROUTES, type DomainEvent, type EventType, type SubgraphName } from './catalog.ts';
import { OUTBOX_CHANNEL } from './record.ts';
import type { AppliedEventsTable, OutboxTable } from './tables.ts';
import { supervisedRunner } from './supervised-runner.ts';

export type EventHandlers = { [T in EventType]?: (tx: Tx, event: DomainEvent<T>) => Promise<void> };

/** How a subgraph takes part: what it produces (its outbox) and what it consumes. */
export interface EventWiring {
  outbox?: OutboxTable;
  consumer?: { applied: AppliedEventsTable; handlers: EventHandlers };
}

/**
 * Events of one customer go to one of these queues, which graphile-worker runs one job at a time,
 * so a consumer applies a customer's events in outbox order while customers proceed in parallel.
 */
const PARTITIONS = 16;

const quietLogger = new Logger(() => (level, message) => {
  if (level === 'error') console.error(`[events] ${message}`);
});

export function partitionOf(key: string): number {
  return createHash('sha1').update(key).digest().readUInt16BE(0) % PARTITIONS;
}

/**
 * Applies an event once in effect: the consumer's `applied_events` row and the change it causes
 * commit together, so a redelivered event finds its id and does nothing.
 */
export async function applyEventIn(
  tx: Tx,
  consumer: NonNullable<EventWiring['consumer']>,
  event: DomainEvent,
): Promise<boolean> {
  const handler = consumer.handlers[event.type] as ((tx: Tx, event: DomainEvent) => Promise<void>) | undefined;
  if (!handler) return false;
  const fresh = await tx.insert(consumer.applied).values({ eventId: event.id }).onConflictDoNothing().returning();
  if (fresh.length === 0) return false;
  await handler(tx, event);
  return true;
}

export function applyEvent(
  db: Database,
  consumer: NonNullable<EventWiring['consumer']>,
  event: DomainEvent,
): Promise<boolean> {
  return db.orm.transaction((tx) => applyEventIn(tx, consumer, event));
}

/**
 * A job whose event meets a lost connection waits for the database rather than fail: it is back
 * within seconds of a restart, where a failed job waits out graphile-worker's back-off (e^attempts
 * seconds, so minutes after a few cuts), and recording the failure needs the database too.
 */
async function applyThroughReconnects(
  db: Database,
  consumer: NonNullable<EventWiring['consumer']>,
  event: DomainEvent,
): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await applyEvent(db, consumer, event);
      return;
    } catch (error) {
      if (!isConnectionLoss(error) || attempt >= RECONNECT_ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(2000, 100 * 2 ** attempt)));
    }
  }
}
/** About half a minute of waiting, then the job fails and graphile-worker's retries take over. */
const RECONNECT_ATTEMPTS = 20;

export function toDomainEvent(producer: SubgraphName, row: OutboxTable['$inferSelect']): DomainEvent {
  return {
    id: row.id,
    seq: row.seq,
    producer,
    type: row.type as EventType,
    storeId: row.storeId,
    customerId: row.customerId,
    payload: row.payload as DomainEvent['payload'],
    occurredAt: row.occurredAt.toISOString(),
  };
}

/** Jobs a consumer process runs at once, unless `EVENTS_CONCURRENCY` says otherwise. */
const DEFAULT_CONCURRENCY = 4;

/**
 * `EVENTS_CONCURRENCY`, else the default. Replicas share the server's connections, and the
 * consumer's pool grows with it: several processes of a subgraph may each need fewer.
 */
function consumerConcurrency(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.EVENTS_CONCURRENCY?.trim();
  if (!raw) return DEFAULT_CONCURRENCY;
  const concurrency = Number(raw);
  if (!Number.isSafeInteger(concurrency) || concurrency < 1) {
    throw new Error(`EVENTS_CONCURRENCY must be a positive integer, got ${JSON.stringify(raw)}`);
  }
  return concurrency;
}

export interface EventDelivery {
  stop(): Promise<void>;
}

/**
 * Starts a subgraph's part in delivery. The relay moves the producer's committed outbox rows to
 * the broker (graphile-worker's queue, on `brokerUrl`) and marks them published; the consumer
 * runs graphile-worker jobs addressed to it. Delivery is at least once: a relay that dies after
 * queueing but before marking queues again (the job key and `applied_events` absorb it), and
 * nothing is lost when any process dies, because both sides keep their state in PostgreSQL.
 */
export async function startEventDelivery(options: {
  name: SubgraphName;
  db: Database;
  brokerUrl: string;
  wiring: EventWiring;
  pollIntervalMs?: number;
}): Promise<EventDelivery> {
  const concurrency = consumerConcurrency();
  const stops: (() => Promise<void>)[] = [];
  try {
    if (options.wiring.outbox) {
      const broker = await makeWorkerUtils({
        connectionString: options.brokerUrl,
        maxPoolSize: 2,
        logger: quietLogger,
      });
      await broker.migrate();
      const relay = startRelay(options.name, options.db, options.wiring.outbox, broker, options.pollIntervalMs ?? 1000);
      stops.push(async () => {
        await relay.stop();
        await broker.release();
      });
    }
    if (options.wiring.consumer) {
      const consumer = options.wiring.consumer;
      // The worker pools of each runner, by id: the id is what their locks on jobs and queues carry.
      const pools = new WeakMap<Runner, string[]>();
      const startRunner = async () => {
        const events: WorkerEvents = new EventEmitter();
        const ids: string[] = [];
        events.on('pool:create', ({ workerPool }) => ids.push(workerPool.id));
        const started = await run({
          connectionString: options.brokerUrl,
          events,
          concurrency,
          // Besides the workers' own: graphile-worker's LISTEN connection and one to spare.
          maxPoolSize: concurrency + 2,
          pollInterval: options.pollIntervalMs ?? 1000,
          noHandleSignals: true,
          logger: quietLogger,
          // Job completions and failures through graphile-worker's batcher, which retries them while
          // the database is away; unbatched, a completion that fails on a lost connection is an
          // unhandled rejection, since nothing awaits it. The patch (patches/) makes a worker await
          // its job's completion, so the next job of the customer's queue follows at once instead
          // of a poll later, and mends the batcher's retries and its release after a failure.
          preset: { worker: { completeJobBatchDelay: 0, failJobBatchDelay: 0 } },
          taskList: {
            [`deliver:${options.name}`]: async (payload) => {
              await applyThroughReconnects(options.db, consumer, payload as DomainEvent);
            },
          },
        });
        pools.set(started, ids);
        return started;
      };
      /**
       * A runner that stopped because a job's completion failed on a lost connection leaves that job,
       * and its customer's named queue, locked by its pool: graphile-worker would free them only
       * after four hours, and the customer's later events would wait behind them. The pool is gone,
       * so its locks are released before the next runner starts; the job runs again, and
       * `applied_events` makes that a no-op.
       */
      const unlock = async (stopped: Runner) => {
        const ids = pools.get(stopped) ?? [];
        if (ids.length === 0) return;
        const utils = await makeWorkerUtils({
          connectionString: options.brokerUrl,
          maxPoolSize: 1,
          logger: quietLogger,
        });
        try {
          await utils.forceUnlockWorkers(ids);
        } finally {
          await utils.release();
        }
      };
      // graphile-worker stops a runner by itself on some connection errors: start another.
      const supervised = await supervisedRunner({
        start: startRunner,
        waitMs: options.pollIntervalMs ?? 1000,
        beforeRestart: unlock,
        onRestartFailed: (error) => console.error(`[events] consumer of ${options.name} could not restart:`, error),
      });
      stops.push(() => supervised.stop());
    }
  } catch (error) {
    await Promise.all(stops.map((stop) => stop().catch(() => {})));
    throw error;
  }
  return {
    async stop() {
      await Promise.all(stops.map((stop) => stop()));
    },
  };
}

function startRelay(
  producer: SubgraphName,
  db: Database,
  outbox: OutboxTable,
  broker: WorkerUtils,
  pollIntervalMs: number,
) {
  const schema = getTableConfig(outbox).schema ?? 'public';
  let stopped = false;
  let wake: (() => void) | undefined;
  const sleep = () =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, pollIntervalMs);
      wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });

  /** One batch, under a lock so that a producer's replicas relay one at a time, in order. */
  const relayBatch = () =>
    db.orm.transaction(async (tx) => {
      const [lock] = await tx.execute<{ locked: boolean }>(
        sql`select pg_try_advisory_xact_lock(hashtext(${`relay:${producer}`})) as locked`,
      );
      if (!lock?.locked) return 0;
      const rows = await tx.select().from(outbox).where(isNull(outbox.publishedAt)).orderBy(asc(outbox.seq)).limit(200);
      const jobs = rows.flatMap((row) =>
        (EVENT_ROUTES[row.type as EventType] ?? []).map((consumer) => ({
          identifier: `deliver:${consumer}`,
          payload: toDomainEvent(producer, row),
          queueName: `${consumer}:${partitionOf(row.customerId ?? row.storeId)}`,
          jobKey: `${consumer}:${row.id}`,
        })),
      );
      if (jobs.length) await broker.addJobs(jobs);
      if (rows.length) {
        await tx
          .update(outbox)
          .set({ publishedAt: new Date() })
          .where(
            inArray(
              outbox.seq,
              rows.map((row) => row.seq),
            ),
          );
      }
      return rows.length;
    });

  const listening = db.sql.listen(OUTBOX_CHANNEL, (payload) => {
    if (payload === schema) wake?.();
  });
  const loop = (async () => {
    while (!stopped) {
      try {
        if ((await relayBatch()) > 0) continue;
      } catch (error) {
        if (!stopped) console.error(`[events] relay of ${producer} failed:`, error);
      }
      if (!stopped) await sleep();
    }
  })();

  return {
    async stop() {
      stopped = true;
      wake?.();
      await loop;
      await (await listening).unlisten();
    },
  };
}

/** Several consumers' handlers in one subgraph: each event runs them in turn, in one transaction. */
export function combineHandlers(...sets: EventHandlers[]): EventHandlers {
  const types = [...new Set(sets.flatMap((set) => Object.keys(set)))] as EventType[];
  return Object.fromEntries(
    types.map((type) => [
      type,
      async (tx: Tx, event: DomainEvent) => {
        for (const set of sets)
          await (set[type] as ((tx: Tx, event: DomainEvent) => Promise<void>) | undefined)?.(tx, event);
      },
    ]),
  ) as EventHandlers;
}
