import { eq, gte, lt, type SQL } from 'drizzle-orm';
import {
  connectionByParent,
  parseInput,
  type BaseContext,
  type ConnectionResult,
  keysetSort,
  tableConnection,
} from '@cg/subgraph';
import { auditEntries, type AuditEntryRow } from '../db/schema/index.ts';
import type { CustomerDb } from '../context.ts';
import { auditLogFilterSchema } from './audit.inputs.ts';
import type { AuditLogFilter } from './audit.type.ts';

/**
 * Newest first. Served by audit_entries_store_idx (store_id, occurred_at, id), or with a customer
 * or staff filter by audit_entries_customer_idx / audit_entries_actor_idx (store_id, …, occurred_at, id).
 */
const auditSort = keysetSort<AuditEntryRow>('audit', 'desc', [
  [auditEntries.occurredAt, 'timestamptz', (row) => row.occurredAt],
  [auditEntries.id, 'uuid', (row) => row.id],
]);

/** X5: the store's audit log, written by the `audit.recorded` handler (audit.handlers.ts). */
export class AuditService {
  constructor(
    private readonly db: CustomerDb,
    private readonly ctx: BaseContext,
  ) {}

  async list(args: {
    first?: number | null;
    after?: string | null;
    filter?: AuditLogFilter | null;
  }): Promise<ConnectionResult<AuditEntryRow>> {
    const filter = parseInput(auditLogFilterSchema, args.filter ?? {}, 'filter');
    const conditions: SQL[] = [eq(auditEntries.storeId, this.ctx.storeId)];
    if (filter.customerId) conditions.push(eq(auditEntries.customerId, filter.customerId));
    if (filter.actorId) conditions.push(eq(auditEntries.actorId, filter.actorId));
    if (filter.action) conditions.push(eq(auditEntries.action, filter.action));
    if (filter.from) conditions.push(gte(auditEntries.occurredAt, filter.from));
    if (filter.to) conditions.push(lt(auditEntries.occurredAt, filter.to));
    return tableConnection(this.db, { table: auditEntries, sort: auditSort, conditions: conditions, args });
  }

  /** `Customer.auditLog`: one statement for every customer of the request that asks for the same page. */
  forCustomer(
    customerId: string,
    args: { first?: number | null; after?: string | null },
  ): Promise<ConnectionResult<AuditEntryRow>> {
    return connectionByParent(this.ctx, this.db, {
      relation: 'auditByCustomer',
      parentId: customerId,
      table: auditEntries,
      parentColumn: auditEntries.customerId,
      sort: auditSort,
      where: eq(auditEntries.storeId, this.ctx.storeId),
      args,
    });
  }
}
