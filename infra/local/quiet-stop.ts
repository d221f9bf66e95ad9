import { isConnectionLoss } from '@cg/db';

/** How the driver, pg and graphile-worker word a connection that is gone or refused. */
const CONNECTION_LOST =
  /ECONNREFUSED|ECONNRESET|EPIPE|CONNECTION_(CLOSED|ENDED|DESTROYED)|terminating connection|Connection terminated|not queryable|the database system is shutting down|write after end/i;

const lost = (value: unknown) =>
  isConnectionLoss(value) ||
  (typeof value === 'string' && CONNECTION_LOST.test(value)) ||
  (value instanceof Error && CONNECTION_LOST.test(value.message));

/**
 * From the moment the launcher stops, connections to the database end (or are already gone, when
 * it was stopped from outside), and the libraries holding them say so on stderr, graphile-worker
 * with a stack trace per worker. Those messages are expected then and dropped; any other is kept.
 */
export function quietConnectionLossFromNowOn(): void {
  for (const method of ['error', 'warn', 'trace'] as const) {
    const original = console[method].bind(console);
    console[method] = (...args: unknown[]) => {
      if (!args.some(lost)) original(...args);
    };
  }
}
