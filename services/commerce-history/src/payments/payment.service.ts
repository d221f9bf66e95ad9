import { and, asc, eq } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import { isUniqueViolation } from '@cg/db';
import {
  conflict,
  invalidField,
  notFound,
  parseInput,
  type BaseContext,
  type ConnectionResult,
  loadInStore,
  ownRows,
  requireId,
  connectionByParent,
  keysetSort,
  listByParent,
} from '@cg/subgraph';
import { auditSnapshot, recordEvents } from '@cg/events';
import { orders, outbox, payments, paymentStatusChanges, type PaymentRow } from '../db/schema.ts';
import { callerIp } from '../caller.ts';
import { audit } from '../audit-trail.ts';
import type { CommerceHistoryDb } from '../context.ts';
import { recordPaymentSchema, updatePaymentStatusSchema, type RecordPaymentInput } from './payment.inputs.ts';
import type { PaymentStatus } from './payment.type.ts';
import { ORDER_LIST_BOUNDS } from '../orders/order.type.ts';

export const DUPLICATE_TRANSACTION_CODE = 'Transaction code is already used';

/** Newest first; served by payments_store_customer_created_idx (store_id, customer_id, created_at, id). */
const paymentSort = keysetSort<PaymentRow>('payments:createdAt:desc', 'desc', [
  [payments.createdAt, 'timestamptz', (row) => row.createdAt],
  [payments.id, 'uuid', (row) => row.id],
]);

export class PaymentService {
  constructor(
    private readonly db: CommerceHistoryDb,
    private readonly ctx: BaseContext,
  ) {}

  /** A signed-in customer finds only their own payments. */
  load(id: string): Promise<PaymentRow | null> {
    return loadInStore(this.ctx, this.db, payments, id, { where: ownRows(this.ctx, payments.customerId) });
  }

  async get(id: string): Promise<PaymentRow | null> {
    requireId(id);
    return this.load(id);
  }

  /** O5: a customer's transaction history; one statement for every customer of the request. */
  async forCustomer(
    customerId: string,
    args: { first?: number | null; after?: string | null },
  ): Promise<ConnectionResult<PaymentRow>> {
    return connectionByParent(this.ctx, this.db, {
      relation: 'paymentsByCustomer',
      parentId: customerId,
      table: payments,
      parentColumn: payments.customerId,
      sort: paymentSort,
      where: and(eq(payments.storeId, this.ctx.storeId), ownRows(this.ctx, payments.customerId)),
      args,
    });
  }

  /** Oldest first; the first `first`. */
  forOrder(orderId: string, first?: number | null): Promise<PaymentRow[]> {
    return listByParent(this.ctx, this.db, {
      relation: 'paymentsByOrder',
      table: payments,
      parentColumn: payments.orderId,
      parentId: orderId,
      orderBy: [asc(payments.createdAt), asc(payments.id)],
      first,
      bounds: ORDER_LIST_BOUNDS.payments,
    });
  }

  async record(input: RecordPaymentInput): Promise<PaymentRow> {
    const data = parseInput(recordPaymentSchema, input, 'input');
    try {
      return await this.db.transaction(async (tx) => {
        // Shared lock: the order's customer cannot change between reading it and copying it.
        const [order] = await tx
          .select({ id: orders.id, number: orders.number, customerId: orders.customerId, currency: orders.currency })
          .from(orders)
          .where(and(eq(orders.storeId, this.ctx.storeId), eq(orders.id, data.orderId)))
          .for('share');
        if (!order) throw notFound('Order', data.orderId);
        if (order.currency !== data.currency)
          throw invalidField('input.currency', `must be the order's currency (${order.currency})`);
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
        const payment = row!;
        await this.writeStatusChange(tx, payment, null, payment.createdAt);
        await recordEvents(tx, outbox, [
          {
            type: 'payment.recorded',
            storeId: this.ctx.storeId,
            customerId: payment.customerId,
            payload: {
              paymentId: payment.id,
              orderId: order.id,
              orderNumber: order.number,
              transactionCode: payment.transactionCode,
              method: payment.method,
              status: payment.status,
              amount: payment.amount,
              currency: payment.currency,
              paidAt: payment.createdAt.toISOString(),
            },
          },
          audit.event(this.ctx, {
            action: 'payment.record',
            entityType: 'Payment',
            entityId: row!.id,
            customerId: row!.customerId,
            before: null,
            after: auditSnapshot(row!, ['storeId', 'updatedAt']),
          }),
        ]);
        return row!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'payments_store_transaction_code_key')) throw conflict(DUPLICATE_TRANSACTION_CODE);
      throw error;
    }
  }

  /** Refunds, cancellations and holds; setting the current status again changes nothing. */
  async updateStatus(id: string, status: PaymentStatus): Promise<PaymentRow> {
    requireId(id);
    const data = parseInput(updatePaymentStatusSchema, { status });
    return this.db.transaction(async (tx) => {
      const [current] = await tx
        .select()
        .from(payments)
        .where(and(eq(payments.storeId, this.ctx.storeId), eq(payments.id, id)))
        .for('update');
      if (!current) throw notFound('Payment', id);
      if (current.status === data.status) return current;
      const [row] = await tx
        .update(payments)
        .set({ status: data.status, updatedAt: new Date() })
        .where(and(eq(payments.storeId, this.ctx.storeId), eq(payments.id, id)))
        .returning();
      await this.writeStatusChange(tx, row!, current.status as PaymentStatus);
      await audit.record(tx, this.ctx, {
        action: 'payment.status',
        entityType: 'Payment',
        entityId: id,
        customerId: row!.customerId,
        before: { status: current.status },
        after: { status: row!.status },
      });
      return row!;
    });
  }

  /** O9: the payment's status history (its log), written in the transaction of the change. */
  private async writeStatusChange(tx: Tx, payment: PaymentRow, fromStatus: PaymentStatus | null, at?: Date) {
    await tx.insert(paymentStatusChanges).values({
      storeId: this.ctx.storeId,
      paymentId: payment.id,
      fromStatus,
      toStatus: payment.status,
      changedBy: this.ctx.principal.userId,
      ip: callerIp(this.ctx),
      ...(at ? { createdAt: at } : {}),
    });
  }
}
