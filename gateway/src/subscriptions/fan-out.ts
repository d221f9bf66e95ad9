import type { ExecutionResult } from 'graphql';
import { GraphQLError } from 'graphql';
import { ChangeFeed } from './change-feed.ts';
import { ErrorCode } from '@cg/http';
import type { SubscriptionLimitOptions } from './subscription-limits.ts';

/**
 * The customer subgraph's channel (services/customer/src/summary/summary.notify.ts), notified with
 * `{"storeId":…,"customerId":…}` in the transaction of every change of a customer's summary.
 */
export const SUMMARY_CHANNEL = 'customer_summary';

/** Notifications of one subscriber within this window become one execution. */
const DEFAULT_COALESCE_MS = 50;

export interface LiveUpdatesOptions extends SubscriptionLimitOptions {
  /**
   * The customer subgraph's database, where its transactions NOTIFY `customer_summary`. Falls back
   * to `CUSTOMER_DATABASE_URL`, then `DATABASE_URL`. Without one, subscriptions are refused.
   */
  databaseUrl?: string;
  /** Notifications within this many milliseconds become one execution per subscriber (default 50). */
  coalesceMs?: number;
}

export interface LiveUpdates {
  /** Undefined when no database is configured. */
  feed: ChangeFeed | undefined;
  coalesceMs: number;
}

/** The change feed of the customer subgraph's database, with its notifications keyed `storeId:customerId`. */
export function liveUpdates(options: LiveUpdatesOptions | undefined): LiveUpdates {
  const databaseUrl =
    options?.databaseUrl ?? (process.env.CUSTOMER_DATABASE_URL || process.env.DATABASE_URL || undefined);
  const feed = databaseUrl
    ? new ChangeFeed({
        databaseUrl,
        keyOf: (_channel, payload) => {
          try {
            const { storeId, customerId } = JSON.parse(payload) as { storeId?: unknown; customerId?: unknown };
            return typeof storeId === 'string' && typeof customerId === 'string'
              ? `${storeId}:${customerId}`
              : undefined;
          } catch {
            return undefined;
          }
        },
      })
    : undefined;
  return { feed, coalesceMs: options?.coalesceMs ?? DEFAULT_COALESCE_MS };
}

/** Follows the changes of one entity in the subscriber's store only: another store's never match. */
export function followEntity(
  feed: ChangeFeed,
  channel: string,
  storeId: string,
  entityId: string,
): (onChange: () => void) => Promise<() => void> {
  return async (onChange) => {
    try {
      return await feed.subscribe(channel, `${storeId}:${entityId}`, onChange);
    } catch (error) {
      console.error('[gateway] cannot listen for live updates:', error);
      throw new GraphQLError('Live updates are unavailable; try again later', {
        extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
      });
    }
  };
}

export interface Emission {
  result: ExecutionResult;
  /** Nothing later can succeed: the entity is not the subscriber's to see, or the token is refused. */
  final: boolean;
}

/**
 * The stream of one subscriber: the selection now, then after each change. Changes that arrive
 * while one is waiting, being coalesced or being resolved make one more resolution, never a queue
 * of them; a result equal to the last one sent is not sent again.
 *
 * An async generator alone would not do: `return()` waits until the generator reaches a `yield`,
 * which a quiet customer may never let it do, and its listener would leak. Returning aborts the
 * waits first.
 */
export function liveResults(options: {
  coalesceMs: number;
  follow: (onChange: () => void) => Promise<() => void>;
  resolve: () => Promise<Emission>;
}): AsyncGenerator<ExecutionResult> {
  const controller = new AbortController();
  const { signal } = controller;
  let changed = false;
  let wake: (() => void) | undefined;
  const onChange = () => {
    changed = true;
    wake?.();
  };
  const until = (ready: () => boolean, ms?: number) =>
    new Promise<void>((resolve) => {
      if (signal.aborted || ready()) return resolve();
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        wake = undefined;
        resolve();
      };
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      wake = ms === undefined ? done : undefined;
      signal.addEventListener('abort', done);
    });

  async function* stream(): AsyncGenerator<ExecutionResult> {
    const unfollow = await options.follow(onChange);
    try {
      let last: string | undefined;
      for (let first = true; !signal.aborted; first = false) {
        if (!first) {
          await until(() => changed);
          await until(() => false, options.coalesceMs);
          if (signal.aborted) return;
        }
        changed = false;
        const { result, final } = await options.resolve();
        if (signal.aborted) return;
        const key = JSON.stringify(result);
        if (key !== last || final) {
          last = key;
          yield result;
        }
        if (final) return;
      }
    } finally {
      unfollow();
    }
  }

  const inner = stream();
  const live: AsyncGenerator<ExecutionResult> = {
    next: () => inner.next(),
    return: (value) => {
      controller.abort();
      return inner.return(value);
    },
    throw: (error) => {
      controller.abort();
      return inner.throw(error);
    },
    [Symbol.asyncIterator]() {
      return live;
    },
  };
  return live;
}
