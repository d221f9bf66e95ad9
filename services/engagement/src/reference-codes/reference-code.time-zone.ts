import type { BaseContext } from '@cg/subgraph';

/**
 * The store's IANA time zone, which E10's days are counted in. A stand-in: the store's own zone
 * reaches engagement with the `store-time-zone` branch, whose reader takes this one's place; until
 * then every store counts its days in UTC.
 */
export function storeTimeZone(_ctx: BaseContext): Promise<string> {
  return Promise.resolve('UTC');
}
