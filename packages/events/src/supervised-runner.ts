import type { Runner } from 'graphile-worker';

/**
 * A graphile-worker runner kept running: graphile-worker stops a runner by itself on some
 * connection errors (all backends terminated, a database restart), so another is started, after
 * `beforeRestart` has cleaned up after the stopped one, until `stop()`.
 */
export async function supervisedRunner(options: {
  start(): Promise<Runner>;
  waitMs: number;
  beforeRestart?(stopped: Runner): Promise<void>;
  onRestartFailed?(error: unknown): void;
}): Promise<{ stop(): Promise<void> }> {
  let stopping = false;
  let runner: Runner = await options.start();
  const supervise = (current: Runner) => {
    void current.promise
      .catch(() => {})
      .then(async () => {
        while (!stopping && runner === current) {
          await new Promise((resolve) => setTimeout(resolve, options.waitMs));
          if (stopping) return;
          try {
            await options.beforeRestart?.(current);
            const next = await options.start();
            if (stopping) {
              await next.stop().catch(() => {});
              return;
            }
            runner = next;
            supervise(next);
          } catch (error) {
            options.onRestartFailed?.(error);
          }
        }
      });
  };
  supervise(runner);
  return {
    async stop() {
      stopping = true;
      await runner.stop().catch(() => {}); // already stopped by itself
    },
  };
}
