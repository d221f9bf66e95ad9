import { and, asc, eq, inArray } from 'drizzle-orm';
import { isUniqueViolation } from '@cg/db';
import {
  byKey,
  conflict,
  groupByKey,
  invalidField,
  keyset,
  notFound,
  pagedByParent,
  pageSize,
  parseInput,
  toConnection,
  zx,
  type BaseContext,
  type ConnectionResult,
  type KeysetSort,
} from '@cg/subgraph';
import { orders, payments, type PaymentRow } from '../db/schema.ts';
import type { CommerceHistoryDb } from '../context.ts';
import { recordPaymentSchema, updatePaymentStatusSchema, type RecordPaymentInput } from './payment.inputs.ts';
import type { PaymentStatus } from './payment.type.ts';

export const DUPLICATE_TRANSACTION_CODE = 'Transaction code is already used';

/** Newest first; served by payments_store_customer_created_idx (store_id, customer_id, created_at, id). */
export const paymentSort: KeysetSort<PaymentRow> = {
  name: 'payments:createdAt:desc',
  direction: 'desc',
  columns: [
    { expr: payments.createdAt, type: 'timestamptz', value: (row) => row.createdAt },
    { expr: payments.id, type: 'uuid', value: (row) => row.id },
  ],
};

export class PaymentService {
  constructor(
    private readonly db: CommerceHistoryDb,
    private readonly ctx: BaseContext,
  ) {}

  /** Batched by id for the request; payments of other stores never load. */
  load(id: string): Promise<PaymentRow | null> {
    if (!zx.id.safeParse(id).success) return Promise.resolve(null);
    return this.ctx.loaders
      .get<string, PaymentRow | null>('paymentById', null, async (ids) => {
        const rows = await this.db
          .select()
          .from(payments)
          .where(and(eq(payments.storeId, this.ctx.storeId), inArray(payments.id, [...ids])));
        return byKey(ids, rows, (row) => row.id);
      })
      .load(id);
  }

  async get(id: string): Promise<PaymentRow | null> {
    if (!zx.id.safeParse(id).success) throw invalidField('id', 'must be a valid id');
    return this.load(id);
  }

  /** O5: a customer's transaction history; one statement for every customer of the request. */
  async forCustomer(customerId: string, args: { first?: number | null; after?: string | null }): Promise<ConnectionResult<PaymentRow>> {
    const first = pageSize(args.first);
    const after = args.after;
    if (after) keyset.after(paymentSort, after);
    const page = await this.ctx.loaders
      .get('paymentsByCustomer', { first, after: after ?? null }, (customerIds: readonly string[]) =>
        pagedByParent<PaymentRow>(this.db, {
          table: payments,
          parentColumn: payments.customerId,
          parentIds: customerIds,
          where: eq(payments.storeId, this.ctx.storeId),
          sort: paymentSort,
          limit: first + 1,
          after,
          withTotal: true,
        }),
      )
      .load(customerId);
    return toConnection(page.rows, { first, after, cursorOf: keyset.cursorOf(paymentSort), totalCount: page.total });
  }

  /** Oldest first. */
  forOrder(orderId: string): Promise<PaymentRow[]> {
    return this.ctx.loaders
      .get<string, PaymentRow[]>('paymentsByOrder', null, async (orderIds) => {
        const rows = await this.db
          .select()
          .from(payments)
          .where(and(eq(payments.storeId, this.ctx.storeId), inArray(payments.orderId, [...orderIds])))
          .orderBy(asc(payments.orderId), asc(payments.createdAt), asc(payments.id));
        return groupByKey(orderIds, rows, (row) => row.orderId);
      })
      .load(orderId);
  }

  async record(input: RecordPaymentInput): Promise<PaymentRow> {
    const data = parseInput(recordPaymentSchema, input, 'input');
    try {
      return await this.db.transaction(async (tx) => {
        // Shared lock: the order's customer cannot change between reading it and copying it.
        const [order] = await tx
          .select({ id: orders.id, customerId: orders.customerId, currency: orders.currency })
          .from(orders)
          .where(and(eq(orders.storeId, this.ctx.storeId), eq(orders.id, data.orderId)))
          .for('share');
        if (!order) throw notFound('Order', data.orderId);
        if (order.currency !== data.currency) throw invalidField('input.currency', `must be the order's currency (${order.currency})`);
        const [row] = await tx
          .insert(payments)
          .values({
            storeId: this.ctx.storeId,
            orderId: order.id,
            customerId: order.customerId,
            transactionCode: data.transactionCode,
            method: data.method,
            instrumentGroup: data.instrumentGroup ?? null,
            provider: data.provider ?? null,
            institution: data.institution ?? null,
            amount: data.amount,
            currency: data.currency,
            status: data.status,
            ip: data.ip ?? null,
            ...(data.paidAt ? { createdAt: data.paidAt } : {}),
          })
          .returning();
        return row!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'payments_store_transaction_code_key')) throw conflict(DUPLICATE_TRANSACTION_CODE);
      throw error;
    }
  }

  /** Refunds, cancellations and holds. */
  async updateStatus(id: string, status: PaymentStatus): Promise<PaymentRow> {
    if (!zx.id.safeParse(id).success) throw invalidField('id', 'must be a valid id');
    const data = parseInput(updatePaymentStatusSchema, { status });
    const [row] = await this.db
      .update(payments)
      .set({ status: data.status, updatedAt: new Date() })
      .where(and(eq(payments.storeId, this.ctx.storeId), eq(payments.id, id)))
      .returning();
    if (!row) throw notFound('Payment', id);
    return row;
  }
}
