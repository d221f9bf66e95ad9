import { and, eq, isNull, ne } from 'drizzle-orm';
import { StaffAction } from '@cg/auth';
import { inStoreScope, type Tx } from '@cg/db';
import type { AuditChange } from '@cg/events';
import {
  conflict,
  forbidden,
  parseInput,
  type BaseContext,
  type ConnectionResult,
  keysetSort,
  tableConnection,
} from '@cg/subgraph';
import { accessGrants, type AccessGrantRow } from '../db/schema/index.ts';
import { audit } from '../audit-trail.ts';
import type { CustomerDb } from '../context.ts';
import { notifyAccessChanged } from './access-changed.notify.ts';
import { findAccess } from './access-lookup.service.ts';
import {
  grantAccessSchema,
  revokeAccessSchema,
  type GrantAccessInput,
  type RevokeAccessInput,
} from './access.inputs.ts';

const grantSort = keysetSort<AccessGrantRow>('access-grant:granted', 'desc', [
  [accessGrants.grantedAt, 'timestamptz', (row) => row.grantedAt],
  [accessGrants.id, 'uuid', (row) => row.id],
]);

/** T6: shared access, a store's Customers module granted to a staff user; a revoked grant stays as history. */
export class AccessGrantService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  async grants(args: {
    first?: number | null;
    after?: string | null;
    includeRevoked?: boolean | null;
  }): Promise<ConnectionResult<AccessGrantRow>> {
    return tableConnection(this.db, {
      table: accessGrants,
      sort: grantSort,
      conditions: [
        eq(accessGrants.storeId, this.ctx.storeId),
        args.includeRevoked ? undefined : isNull(accessGrants.revokedAt),
      ],
      args,
    });
  }

  /**
   * Shares the Customers module of each listed store (the caller needs ACCESS_MANAGE in every one)
   * with `userId`: an active grant with other actions is replaced, the old one kept as revoked
   * history; one with the same actions is the answer as it is.
   */
  async grant(input: GrantAccessInput): Promise<AccessGrantRow[]> {
    const data = parseInput(grantAccessSchema, input, 'input');
    return this.inEachStore(data.storeIds, async (tx, storeId) => {
      const [previous] = await this.revokeIn(tx, storeId, data.userId, data.actions);
      // A grant made meanwhile by a concurrent request holds the one active place: the insert then
      // waits for it and yields instead of failing the whole request on the unique index.
      const [row] = await tx
        .insert(accessGrants)
        .values({ storeId, userId: data.userId, actions: data.actions, grantedBy: this.ctx.principal.userId })
        .onConflictDoNothing({
          target: [accessGrants.storeId, accessGrants.userId],
          where: isNull(accessGrants.revokedAt),
        })
        .returning();
      if (!row) return [await this.unchanged(tx, storeId, data.userId, data.actions)];
      await notifyAccessChanged(tx, storeId, data.userId);
      await this.audit(
        tx,
        {
          action: 'access.grant',
          entityType: 'AccessGrant',
          entityId: row.id,
          before: previous ? { actions: previous.actions } : null,
          after: { userId: data.userId, actions: data.actions },
        },
        storeId,
      );
      return [row];
    });
  }

  /**
   * The active grant that kept the insert out: the same actions make the request idempotent; other
   * ones were granted by a concurrent request, and which should win is the caller's to decide.
   */
  private async unchanged(tx: Tx, storeId: string, userId: string, actions: string[]): Promise<AccessGrantRow> {
    const [active] = await tx
      .select()
      .from(accessGrants)
      .where(and(eq(accessGrants.storeId, storeId), eq(accessGrants.userId, userId), isNull(accessGrants.revokedAt)));
    if (active && sameActions(active.actions, actions)) return active;
    throw conflict(`Access of ${userId} to store ${storeId} was changed by another request at the same time`);
  }

  /** Ends the user's shared access to each listed store; a store without one is left as it is. */
  async revoke(input: RevokeAccessInput): Promise<AccessGrantRow[]> {
    const data = parseInput(revokeAccessSchema, input, 'input');
    return this.inEachStore(data.storeIds, async (tx, storeId) => {
      const revoked = await this.revokeIn(tx, storeId, data.userId);
      if (revoked.length) await notifyAccessChanged(tx, storeId, data.userId);
      for (const row of revoked) {
        await this.audit(
          tx,
          {
            action: 'access.revoke',
            entityType: 'AccessGrant',
            entityId: row.id,
            before: { userId: row.userId, actions: row.actions },
            after: null,
          },
          storeId,
        );
      }
      return revoked;
    });
  }

  /**
   * `work` in each listed store's scope, all in one transaction, once the caller is known to hold
   * ACCESS_MANAGE in every one; the grants it returns, store by store.
   */
  private async inEachStore(
    storeIds: string[],
    work: (tx: Tx, storeId: string) => Promise<AccessGrantRow[]>,
  ): Promise<AccessGrantRow[]> {
    await this.requireManager(storeIds);
    return this.db.transaction(async (tx) => {
      const byStore = new Map<string, AccessGrantRow[]>();
      // Stores in one fixed order: two requests naming the same stores in other orders would
      // otherwise each wait for a row the other has written, a deadlock.
      for (const storeId of [...storeIds].sort()) {
        byStore.set(storeId, await this.inStore(tx, storeId, () => work(tx, storeId)));
      }
      return storeIds.flatMap((storeId) => byStore.get(storeId) ?? []);
    });
  }

  /** The user's active grant in the store, unless it already has exactly `keep` (then it stays). */
  private revokeIn(tx: Tx, storeId: string, userId: string, keep?: string[]): Promise<AccessGrantRow[]> {
    return tx
      .update(accessGrants)
      .set({ revokedAt: new Date(), revokedBy: this.ctx.principal.userId })
      .where(
        and(
          eq(accessGrants.storeId, storeId),
          eq(accessGrants.userId, userId),
          isNull(accessGrants.revokedAt),
          keep ? ne(accessGrants.actions, keep) : undefined,
        ),
      )
      .returning();
  }

  /**
   * The store of this request was checked by the access assertion; the caller's access in each
   * other one is looked up in that store's scope.
   */
  private async requireManager(storeIds: string[]): Promise<void> {
    for (const storeId of storeIds) {
      const actions =
        storeId === this.ctx.storeId
          ? this.ctx.access?.actions
          : await this.inStore(
              this.db,
              storeId,
              async () => (await findAccess(this.db, this.ctx.principal, [storeId])).get(storeId)?.access.actions,
            );
      if (!actions?.includes(StaffAction.ACCESS_MANAGE))
        throw forbidden(`You cannot manage access to store ${storeId}`);
    }
  }

  /** Row-level security holds each statement to one store: a grant elsewhere switches the scope there. */
  private inStore<T>(db: CustomerDb | Tx, storeId: string, work: () => Promise<T>): Promise<T> {
    return storeId === this.ctx.storeId ? work() : inStoreScope(db as CustomerDb, storeId, this.ctx.storeId, work);
  }

  /** An entry belongs to the store the grant is in, which need not be the request's. */
  private audit(tx: Tx, change: AuditChange, storeId: string) {
    return audit.record(tx, { ...this.ctx, storeId }, change);
  }
}

/** Actions are stored as the input schema leaves them: unique and sorted. */
const sameActions = (a: string[], b: string[]) => a.length === b.length && a.every((action, i) => action === b[i]);
