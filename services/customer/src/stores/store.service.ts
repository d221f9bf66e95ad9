import { eq, inArray } from 'drizzle-orm';
import type { BaseContext } from '@cg/subgraph';
import { byKey, notFound, parseInput } from '@cg/subgraph';
import { auditChanges } from '@cg/events';
import { stores, type StoreRow } from '../db/schema/index.ts';
import type { CustomerDb } from '../context.ts';
import { addOwner } from '../access/staff-member.service.ts';
import { audit, AUDIT_BOOKKEEPING } from '../audit-trail.ts';
import { createStoreSchema, updateStoreSchema, type UpdateStoreInput } from './store.inputs.ts';
import { announceSettings } from './store.events.ts';

export class StoreService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  /** A caller sees only the store its token names. */
  load(id: string): Promise<StoreRow | null> {
    if (id !== this.ctx.storeId) return Promise.resolve(null);
    return this.ctx.loaders
      .get<string, StoreRow | null>('storeById', null, async (ids) =>
        byKey(
          ids,
          await this.db
            .select()
            .from(stores)
            .where(inArray(stores.id, [...ids])),
          (row) => row.id,
        ),
      )
      .load(id);
  }

  current(): Promise<StoreRow | null> {
    return this.load(this.ctx.storeId);
  }

  /**
   * T1: the caller's store, renamed or moved to another time zone. A changed zone is announced
   * (`store.settings_changed`) in the same transaction, with the row locked, so announcements
   * follow the order of the changes.
   */
  async update(input: UpdateStoreInput): Promise<StoreRow> {
    const data = parseInput(updateStoreSchema, input, 'input');
    const storeId = data.storeId ?? this.ctx.storeId;
    if (storeId !== this.ctx.storeId) throw notFound('Store', storeId);
    const changes = Object.fromEntries(
      Object.entries({
        name: data.name,
        timeZone: data.timeZone,
        deletedCustomerRetentionDays: data.deletedCustomerRetentionDays,
      }).filter(([, value]) => value != null),
    );
    return this.db.transaction(async (tx) => {
      const [current] = await tx.select().from(stores).where(eq(stores.id, storeId)).for('update');
      if (!current) throw notFound('Store', storeId);
      if (Object.keys(changes).length === 0) return current;
      const [row] = await tx.update(stores).set(changes).where(eq(stores.id, storeId)).returning();
      if (row!.timeZone !== current.timeZone) await announceSettings(tx, row!);
      const changed = auditChanges(current, row!, AUDIT_BOOKKEEPING);
      await audit.record(tx, this.ctx, {
        action: 'store.update',
        entityType: 'Store',
        entityId: storeId,
        before: changed.before,
        after: changed.after,
      });
      return row!;
    });
  }
}

/**
 * Creates a tenant with its first owner. Store administration belongs to platform staff (not yet
 * in the API): the launcher's demo data and the tests call this.
 */
export async function createStore(
  db: CustomerDb,
  input: { name: string; currency: string; timeZone?: string; id?: string; ownerUserId: string },
): Promise<StoreRow> {
  const { ownerUserId, id } = input;
  const store = parseInput(createStoreSchema, input, 'input');
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(stores)
      .values({ ...store, ...(id ? { id } : {}) })
      .returning();
    await addOwner(tx, row!.id, ownerUserId);
    // T1: the subgraphs that count the store's days learn its zone from the start.
    await announceSettings(tx, row!);
    return row!;
  });
}

export async function findStore(db: CustomerDb, id: string): Promise<StoreRow | undefined> {
  const [row] = await db.select().from(stores).where(eq(stores.id, id));
  return row;
}

export async function findStoreByName(db: CustomerDb, name: string): Promise<StoreRow | undefined> {
  const [row] = await db.select().from(stores).where(eq(stores.name, name)).limit(1);
  return row;
}
