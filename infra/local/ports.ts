import { createServer } from 'node:net';

/** A port the launcher needs that something else holds. */
export class PortInUseError extends Error {
  constructor(
    readonly port: number,
    what: string,
  ) {
    super(
      `port ${port} (${what}) is in use — is another \`pnpm start\` still running? ` +
        `Stop it, or choose other ports (PORT, EMBEDDED_PG_PORT).`,
    );
  }
}

/** Whether `error` is a listen that failed on a port someone else holds. */
export function isAddressInUse(error: unknown): error is NodeJS.ErrnoException & { port?: number } {
  return (error as NodeJS.ErrnoException | undefined)?.code === 'EADDRINUSE';
}

/**
 * Checks, before anything starts, that every port is free, so that a launcher still running (or
 * anything else on them) is named at once rather than as a listen error halfway through the start.
 */
export async function checkPortsFree(ports: { port: number; host: string; what: string }[]): Promise<void> {
  for (const { port, host, what } of ports) {
    if (port === 0) continue;
    await new Promise<void>((resolve, reject) => {
      const server = createServer();
      server.once('error', (error) => reject(isAddressInUse(error) ? new PortInUseError(port, what) : error));
      server.listen(port, host, () => server.close(() => resolve()));
    });
  }
}
