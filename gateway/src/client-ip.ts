import type { IncomingMessage } from 'node:http';

/**
 * The client's address. With no trusted proxy (`TRUSTED_PROXY_HOPS=0`, the default) it is the
 * socket's: an `X-Forwarded-For` a client sends proves nothing. Behind `hops` proxies, each of
 * which appends the address it was reached from, the client is the `hops`-th address from the
 * right of `X-Forwarded-For` + socket: whatever a client wrote further left is never taken.
 */
export function clientIp(req: IncomingMessage, hops: number): string | undefined {
  const socket = req.socket.remoteAddress ?? undefined;
  if (hops === 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const forwarded = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  const chain = socket ? [...forwarded, socket] : forwarded;
  // Fewer addresses than proxies: the request skipped some of them; the leftmost is the closest we know.
  return chain[Math.max(0, chain.length - 1 - hops)];
}

/** The `trustedProxyHops` option, else `TRUSTED_PROXY_HOPS`, else 0. */
export function trustedProxyHops(option: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const raw = option ?? (env.TRUSTED_PROXY_HOPS?.trim() ? Number(env.TRUSTED_PROXY_HOPS) : 0);
  if (!Number.isSafeInteger(raw) || raw < 0) {
    throw new Error(`TRUSTED_PROXY_HOPS must be a whole number of proxies (0 or more), got ${JSON.stringify(raw)}`);
  }
  return raw;
}
