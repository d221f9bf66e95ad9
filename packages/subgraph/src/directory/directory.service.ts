import { and, eq, inArray } from 'drizzle-orm';
import { GraphQLError } from 'graphql';
import type { PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import { ErrorCode } from '@cg/http';
import type { BaseContext } from '../context.ts';
import { badUserInput, conflict, notFound } from '../errors.ts';
import { requireId } from '../entity.ts';
import { byKey } from '../loaders.ts';
import { directoryUnavailable } from './directory.lookup.ts';
import { DIRECTORY_DELETED, type CustomerDirectoryTable } from '@cg/events';

export const ERASED_CUSTOMER = 'Customer is erased';
export const BLOCKED_CUSTOMER = 'Customer is blocked and cannot place orders';
/** C5: a soft-deleted customer places no orders until restored. */
export const DELETED_CUSTOMER = 'Customer is deleted and cannot place orders';

/** Statuses whose customer order intake refuses (C14, C5); any other is accepted. */
const REFUSES_ORDERS = new Set(['blocked', DIRECTORY_DELETED]);

/** The customer a write names, as the directory (or the customer subgraph) knows them. */
export interface DirectoryEntry {
  customerId: string;
  status: string;
  /** The store's currency; null only when neither the directory nor the lookup has it. */
  currency: string | null;
}

/**
 * What a write does with the customer it names: `record` (a wallet entry, a consent) needs a
 * customer of the store who is not erased; `order` (intake, C14) also one who is not blocked nor
 * deleted (C5). A deleted customer's records are still accepted: the profile may be restored, and
 * what is recorded meanwhile goes with the rest if it is erased instead.
 */
export type DirectoryUse = 'record' | 'order';

/**
 * The check every write naming a customer makes first. The directory answers from its rows when
 * they allow the write; every refusal is confirmed by asking the customer subgraph during the
 * request, so a customer created (or unblocked) a moment ago is never refused because its event
 * is still on its way: the customer subgraph commits before it answers, so a change a client saw
 * acknowledged is there when the lookup reads. Erasure is final, so an erased row refuses by
 * itself. The answer to a miss is stored, only while the table has no row for the customer (the
 * events then bring it up to date, @cg/events' directory.ts), so a later write needs no lookup.
 *
 * What the directory may still accept: a write during the delivery lag of a block or an erasure
 * (normally well under a second). Commerce-history's erasure handler scrubs orders recorded in
 * that window along with the rest.
 */
export class CustomerDirectory {
  constructor(
    private readonly db: PostgresJsDatabase<any>,
    private readonly ctx: BaseContext,
    private readonly table: CustomerDirectoryTable,
  ) {}

  /**
   * The customer `customerId` of the caller's store, or NOT_FOUND, CONFLICT (erased; for an order,
   * deleted), CUSTOMER_BLOCKED.
   */
  async require(customerId: string, use: DirectoryUse, field = 'input.customerId'): Promise<DirectoryEntry> {
    const id = requireId(customerId, field);
    const { table } = this;
    const row = await this.rowOf(id);
    if (row?.erasedAt) throw conflict(ERASED_CUSTOMER);
    if (row && (use === 'record' || (!REFUSES_ORDERS.has(row.status) && row.currency))) return row;

    if (!this.ctx.lookupCustomer) throw directoryUnavailable();
    const answer = await this.ctx.lookupCustomer(id);
    if (!answer || answer.storeId !== this.ctx.storeId) throw notFound('Customer', id);
    if (!row) {
      await this.db
        .insert(table)
        .values({
          storeId: answer.storeId,
          customerId: id,
          status: answer.status,
          currency: answer.currency,
          erasedAt: answer.erasedAt ? new Date(answer.erasedAt) : null,
        })
        .onConflictDoNothing();
    }
    if (answer.erasedAt) throw conflict(ERASED_CUSTOMER);
    if (use === 'order' && answer.status === 'blocked') throw customerBlocked();
    if (use === 'order' && answer.status === DIRECTORY_DELETED) throw conflict(DELETED_CUSTOMER);
    return { customerId: id, status: answer.status, currency: answer.currency };
  }

  /**
   * As `require`, for a write whose input names the customer as one of its arguments (a loyalty
   * adjustment, a card, a referral rule): a customer the store does not have is a mistake in that
   * field, so it is BAD_USER_INPUT naming it rather than NOT_FOUND.
   */
  async requireNamed(customerId: string, use: DirectoryUse, field = 'input.customerId'): Promise<DirectoryEntry> {
    try {
      return await this.require(customerId, use, field);
    } catch (error) {
      if (error instanceof GraphQLError && error.extensions.code === ErrorCode.NOT_FOUND) {
        throw badUserInput('Unknown customer', [{ field, message: 'is not a customer of this store' }]);
      }
      throw error;
    }
  }

  /**
   * The directory's row for the customer; the checks a request makes at once (a bulk intake's
   * rows) share one statement, and the request reads each row once (its transaction is one view).
   */
  private rowOf(customerId: string) {
    const { table } = this;
    return this.ctx.loaders
      .get('directoryRows', null, async (ids: readonly string[]) => {
        const rows = await this.db
          .select()
          .from(table)
          .where(and(eq(table.storeId, this.ctx.storeId), inArray(table.customerId, [...ids])));
        return byKey(ids, rows, (row) => row.customerId);
      })
      .load(customerId);
  }
}

function customerBlocked(): GraphQLError {
  return new GraphQLError(BLOCKED_CUSTOMER, { extensions: { code: ErrorCode.CUSTOMER_BLOCKED } });
}
