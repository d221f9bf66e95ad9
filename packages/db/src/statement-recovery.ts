import postgres, { type TransactionSql } from 'postgres';
import { isConnectionLoss } from './errors.ts';

/**
 * A failed statement aborts its transaction: PostgreSQL refuses every later one (25P02) until it is
 * rolled back. A request's fields share one transaction and run side by side, so one field's error
 * (a statement timeout, a bad cast) would fail the fields whose statements happen to follow it.
 *
 * The request transaction keeps a checkpoint, a savepoint taken after its scope statement and again
 * after each write (so rolling back to it never undoes a write). When a statement fails, the client
 * below rolls back to the checkpoint once, and re-sends the statements that were refused only
 * because they followed the failure. The failing statement's own error stays its field's.
 */
const CHECKPOINT = 'request_checkpoint';
const IN_FAILED_TRANSACTION = '25P02';
/**
 * Each recovery settles at least the first statement after it, so a statement is refused at most
 * once per field that fails before it; past this many, it takes the refusal as its error.
 */
const ATTEMPTS = 10;

export interface RecoveringClient {
  /** What drizzle's session sends statements through: the transaction, recovering after failures. */
  client: TransactionSql;
  /** Takes the checkpoint (not awaited: it travels in the pipeline ahead of the next statement). */
  checkpoint(): void;
}

interface PendingStatement extends PromiseLike<unknown> {
  values(): PendingStatement;
}

export function recoveringClient(transaction: TransactionSql): RecoveringClient {
  // Failures of one epoch share one rollback; statements sent after it belong to the next epoch.
  let epoch = 0;
  let recovery: Promise<void> = Promise.resolve();
  // A rollback to the checkpoint that failed: the transaction stays aborted, and the driver, which
  // saw that statement fail, rolls it back at the end, so a request that wrote reports a failure.
  let failure: unknown;

  const recover = (failedIn: number): Promise<void> => {
    if (failedIn === epoch) {
      epoch += 1;
      recovery = transaction.unsafe(`rollback to savepoint ${CHECKPOINT}`).then(
        () => undefined,
        (error: unknown) => {
          failure ??= error;
          throw error;
        },
      );
    }
    return recovery;
  };

  const unsafe = (
    query: string,
    parameters?: postgres.ParameterOrJSON<never>[],
    options?: postgres.UnsafeQueryOptions,
  ) => {
    let values = false;
    let sent: Promise<unknown> | undefined;
    const send = (attempt: number): Promise<unknown> => {
      const sentIn = epoch;
      const statement = transaction.unsafe(query, parameters, {
        ...options,
        // drizzle asks for unnamed statements, which postgres.js sends with parameters only after a
        // round trip that describes them (Parse/Describe, then Bind/Execute), holding back the
        // statements behind them. A named one is described once per connection, then only bound.
        prepare: true,
        recoverable: true,
      } as postgres.UnsafeQueryOptions);
      return (values ? statement.values() : statement).then(undefined, async (error: unknown) => {
        if (!(error instanceof postgres.PostgresError) || isConnectionLoss(error) || failure) throw error;
        await recover(sentIn).catch(() => {
          throw error;
        });
        if (error.code === IN_FAILED_TRANSACTION && attempt < ATTEMPTS) return send(attempt + 1);
        throw error;
      });
    };
    const pending: PendingStatement = {
      values() {
        values = true;
        return pending;
      },
      // Sent when awaited, as the driver's own statements are: pipeline order is await order.
      then(onFulfilled, onRejected) {
        sent ??= send(1);
        return sent.then(onFulfilled, onRejected);
      },
    };
    return pending;
  };

  const client = new Proxy(transaction, {
    get: (target, property, receiver) => (property === 'unsafe' ? unsafe : Reflect.get(target, property, receiver)),
  });
  return {
    client,
    checkpoint() {
      transaction.unsafe(`savepoint ${CHECKPOINT}`).catch(() => {});
    },
  };
}
