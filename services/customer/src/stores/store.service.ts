import { eq, inArray } from 'drizzle-orm';
import type { BaseContext } from '@cg/subgraph';
import { byKey } from '@cg/subgraph';
import { stores, type StoreRow } from '../db/schema/index.ts';
import type { CustomerDb } from '../context.ts';
import { addOwner } from '../access/staff-member.service.ts';

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
}

/**
 * Creates a tenant with its first owner. Store administration belongs to platform staff (not yet
 * in the API): the launcher's demo data and the tests call this.
 */
export async function createStore(
  db: CustomerDb,
  input: { name: string; currency: string; id?: string; ownerUserId: string },
): Promise<StoreRow> {
  const { ownerUserId, ...store } = input;
  return db.transaction(async (tx) => {
    const [row] = await tx.insert(stores).values(store).returning();
    await addOwner(tx, row!.id, ownerUserId);
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
