import { zx, type BaseContext } from '@cg/subgraph';

/** The caller's address for logs, as an `inet` value; IPv4-mapped IPv6 is written as IPv4. */
export function callerIp(ctx: BaseContext): string | null {
  const ip = ctx.ip?.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1');
  return ip && zx.ip.safeParse(ip).success ? ip : null;
}
