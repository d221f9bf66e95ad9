import { and, eq, isNull } from 'drizzle-orm';
import { StaffAction } from '@cg/auth';
import { inStoreScope, type Tx } from '@cg/db';
import type { AuditChange } from '@cg/events';
import {
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
   * with `userId`: an active grant there is replaced, the old one kept as revoked history.
   */
  async grant(input: GrantAccessInput): Promise<AccessGrantRow[]> {
    const data = parseInput(grantAccessSchema, input, 'input');
    return this.inEachStore(data.storeIds, async (tx, storeId) => {
      const [previous] = await this.revokeIn(tx, storeId, data.userId);
      const [row] = await tx
        .insert(accessGrants)
        .values({ storeId, userId: data.userId, actions: data.actions, grantedBy: this.ctx.principal.userId })
        .returning();
      await this.audit(
        tx,
        {
          action: 'access.grant',
          entityType: 'AccessGrant',
          entityId: row!.id,
          before: previous ? { actions: previous.actions } : null,
          after: { userId: data.userId, actions: data.actions },
        },
        storeId,
      );
      return [row!];
    });
  }

  /** Ends the user's shared access to each listed store; a store without one is left as it is. */
  async revoke(input: RevokeAccessInput): Promise<AccessGrantRow[]> {
    const data = parseInput(revokeAccessSchema, input, 'input');
    return this.inEachStore(data.storeIds, async (tx, storeId) => {
      const revoked = await this.revokeIn(tx, storeId, data.userId);
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
      const rows: AccessGrantRow[] = [];
      for (const storeId of storeIds) rows.push(...(await this.inStore(tx, storeId, () => work(tx, storeId))));
      return rows;
    });
  }

  private revokeIn(tx: Tx, storeId: string, userId: string): Promise<AccessGrantRow[]> {
    return tx
      .update(accessGrants)
      .set({ revokedAt: new Date(), revokedBy: this.ctx.principal.userId })
      .where(and(eq(accessGrants.storeId, storeId), eq(accessGrants.userId, userId), isNull(accessGrants.revokedAt)))
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
