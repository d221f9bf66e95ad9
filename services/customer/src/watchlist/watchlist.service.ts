import { and, eq, inArray } from 'drizzle-orm';
import { isForeignKeyViolation, type Tx } from '@cg/db';
import { notFound, requireId, type BaseContext } from '@cg/subgraph';
import { watchlist, type CustomerRow } from '../db/schema/index.ts';
import { audit } from '../audit-trail.ts';
import type { CustomerDb } from '../context.ts';
import type { CustomerService } from '../customers/customer.service.ts';

/** C9: the store's watchlist, shared by all of its staff. */
export class WatchlistService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
    private readonly customers: CustomerService,
  ) {}

  /** Whether a customer is watched; one statement for every customer of the request. */
  isWatched(customerId: string): Promise<boolean> {
    return this.loader().load(customerId);
  }

  /** Idempotent: watching a watched customer changes nothing (the first watcher stays recorded). */
  async watch(customerId: string): Promise<CustomerRow> {
    requireId(customerId, 'customerId');
    try {
      await this.db.transaction(async (tx) => {
        const [row] = await tx
          .insert(watchlist)
          .values({ storeId: this.ctx.storeId, customerId, createdBy: this.ctx.principal.userId })
          .onConflictDoNothing()
          .returning();
        if (row) await this.audit(tx, 'customer.watch', customerId, false);
      });
    } catch (error) {
      // The composite foreign key refuses ids that are not this store's customers.
      if (isForeignKeyViolation(error)) throw notFound('Customer', customerId);
      throw error;
    }
    return this.answer(customerId, true);
  }

  /** Idempotent: unwatching a customer that is not watched changes nothing. */
  async unwatch(customerId: string): Promise<CustomerRow> {
    requireId(customerId, 'customerId');
    await this.db.transaction(async (tx) => {
      const removed = await tx
        .delete(watchlist)
        .where(and(eq(watchlist.storeId, this.ctx.storeId), eq(watchlist.customerId, customerId)))
        .returning();
      if (removed.length) await this.audit(tx, 'customer.unwatch', customerId, true);
    });
    return this.answer(customerId, false);
  }

  /** X5: only a change is audited; watching a watched customer records nothing. */
  private audit(tx: Tx, action: string, customerId: string, watched: boolean) {
    return audit.record(tx, this.ctx, {
      action,
      entityType: 'Customer',
      entityId: customerId,
      customerId,
      before: { watched },
      after: { watched: !watched },
    });
  }

  private async answer(customerId: string, watched: boolean): Promise<CustomerRow> {
    const customer = await this.customers.load(customerId);
    if (!customer) throw notFound('Customer', customerId);
    this.loader().clear(customerId).prime(customerId, watched);
    return customer;
  }

  private loader() {
    return this.ctx.loaders.get<string, boolean>('watchedByCustomer', null, async (ids) => {
      const rows = await this.db
        .select({ customerId: watchlist.customerId })
        .from(watchlist)
        .where(and(eq(watchlist.storeId, this.ctx.storeId), inArray(watchlist.customerId, [...ids])));
      const watched = new Set(rows.map((row) => row.customerId));
      return ids.map((id) => watched.has(id));
    });
  }
}
