import { eq } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import { storeSettings } from '../db/schema.ts';

/** A store whose settings have not arrived (or that never announced any) counts its days in UTC. */
const DEFAULT_TIME_ZONE = 'UTC';

/**
 * T1: the IANA zone `storeId` counts its days in, from this subgraph's copy of the customer
 * subgraph's store settings (store-settings.handlers.ts), e.g. for a dashboard grouping by day.
 * Eventually consistent: a change reaches it with the event's delivery (normally well under a second).
 */
export async function storeTimeZone(tx: Tx, storeId: string): Promise<string> {
  const [row] = await tx
    .select({ timeZone: storeSettings.timeZone })
    .from(storeSettings)
    .where(eq(storeSettings.storeId, storeId));
  return row?.timeZone ?? DEFAULT_TIME_ZONE;
}
