/**
 * What a benchmark run started (databases, processes, folders), undone in reverse order when it
 * ends or when it is interrupted (Ctrl-C, SIGTERM: then it exits with 130), so that no run leaves a
 * database or a process behind.
 */
export interface Cleanups {
  push(step: () => Promise<unknown>): void;
  /** Runs every step pushed so far, last first; a failing step is logged and the others still run. */
  run(): Promise<void>;
}

export function cleanupsOnExit(): Cleanups {
  const steps: (() => Promise<unknown>)[] = [];
  const run = async () => {
    for (const step of steps.reverse()) await step().catch((error: unknown) => console.error(error));
    steps.length = 0;
  };
  const interrupted = () => {
    console.log('\nInterrupted: cleaning up…');
    void run().then(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  return { push: (step) => void steps.push(step), run };
}
