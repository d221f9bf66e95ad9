import { and, eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '@cg/db';
import { rowsAbout, type PersonalDataRegistry } from './personal-data.registry.ts';

/**
 * Applies the registry's `delete` and `scrub` answers for the customer, in the caller's transaction.
 * `keep` rows stay; `custom` ones are the subgraph erasure code's, which runs beside this. Running it
 * again finds nothing left to change.
 */
export async function erasePersonalData(
  tx: Tx,
  registry: PersonalDataRegistry,
  storeId: string,
  customerId: string,
): Promise<void> {
  for (const entry of registry) {
    const where = and(eq(entry.table.storeId, storeId), rowsAbout(entry, storeId, customerId));
    const { erasure } = entry;
    if (erasure.kind === 'delete') await tx.delete(entry.table as PgTable).where(where);
    if (erasure.kind === 'scrub')
      await tx
        .update(entry.table as PgTable)
        .set(Object.fromEntries(erasure.columns.map((column) => [columnKey(entry.table, column), null])))
        .where(where);
  }
}

/** The table's property name for a column, which is what drizzle's `set` takes. */
function columnKey(table: PgTable, column: unknown): string {
  const key = Object.entries(table).find(([, value]) => value === column)?.[0];
  if (!key) throw new Error('A scrubbed column must belong to its table');
  return key;
}
