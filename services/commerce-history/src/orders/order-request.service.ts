import { and, asc, eq } from 'drizzle-orm';
import { isUniqueViolation, type Tx } from '@cg/db';
import { badUserInput, conflict, notFound, parseInput, requireId, type BaseContext, listByParent } from '@cg/subgraph';
import { auditChanges, auditSnapshot, recordEvents } from '@cg/events';
import { orderRequests, outbox, type OrderRequestRow, type OrderRow } from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import { callerIp } from '../caller.ts';
import type { CommerceHistoryDb } from '../context.ts';
import type { OrderService } from './order.service.ts';
import { ORDER_LIST_BOUNDS, OrderStatus } from './order.type.ts';
import { OrderRequestStatus, OrderRequestType } from './order-request.type.ts';
import {
  createOrderRequestSchema,
  REQUEST_TRANSITIONS,
  updateOrderRequestStatusSchema,
} from './order-request.inputs.ts';
import { cancelledPart, orderOutcome, type OrderOutcome } from './order-outcome.ts';

const TYPE_LABEL: Record<OrderRequestType, string> = {
  [OrderRequestType.CANCELLATION]: 'cancellation',
  [OrderRequestType.RETURN]: 'return',
};

/** Order statuses in which a request of a type can no longer be made. */
const CLOSED_FOR: Record<OrderRequestType, readonly OrderStatus[]> = {
  [OrderRequestType.CANCELLATION]: [OrderStatus.CANCELLED, OrderStatus.RETURNED, OrderStatus.EXPIRED],
  [OrderRequestType.RETURN]: [OrderStatus.CANCELLED, OrderStatus.RETURNED, OrderStatus.EXPIRED, OrderStatus.DRAFT],
};

/** O4: cancellation and return requests. */
export class OrderRequestService {
  constructor(
    private readonly db: CommerceHistoryDb,
    private readonly ctx: BaseContext,
    private readonly orders: OrderService,
  ) {}

  /** Oldest first; the first `first`. */
  forOrder(orderId: string, first?: number | null): Promise<OrderRequestRow[]> {
    return listByParent(this.ctx, this.db, {
      relation: 'requestsByOrder',
      table: orderRequests,
      parentColumn: orderRequests.orderId,
      parentId: orderId,
      orderBy: [asc(orderRequests.createdAt), asc(orderRequests.id)],
      first,
      bounds: ORDER_LIST_BOUNDS.requests,
    });
  }

  /** One open (REQUESTED or APPROVED) request of each type per order, enforced by the database. */
  async create(
    orderId: string,
    args: { type: OrderRequestType; reason?: string | null; units?: number | null },
  ): Promise<OrderRequestRow> {
    requireId(orderId, 'orderId');
    const data = parseInput(createOrderRequestSchema, args);
    try {
      return await this.db.transaction(async (tx) => {
        const order = await this.orders.lock(tx, orderId, 'orderId');
        if (CLOSED_FOR[data.type].includes(order.status as OrderStatus)) {
          throw conflict(
            `A ${TYPE_LABEL[data.type]} cannot be requested for an order that is ${order.status.replace(/_/g, ' ')}`,
          );
        }
        // Earlier partial returns and cancellations have taken some units back already.
        const outcome = await orderOutcome(tx, this.ctx.storeId, orderId);
        const left = order.units - outcome.returnedUnits - outcome.cancelledUnits;
        if (data.units && data.units > left) {
          const message =
            left === order.units
              ? `must not exceed the order's ${order.units} units`
              : `must not exceed the ${left} unit${left === 1 ? '' : 's'} not returned or cancelled yet`;
          throw badUserInput(`Invalid units: ${message}`, [{ field: 'units', message }]);
        }
        const [row] = await tx
          .insert(orderRequests)
          .values({
            storeId: this.ctx.storeId,
            orderId,
            type: data.type,
            reason: data.reason ?? null,
            units: data.units ?? null,
            requestedBy: this.ctx.principal.userId,
            ip: callerIp(this.ctx),
          })
          .returning();
        await audit.record(tx, this.ctx, {
          action: 'order_request.create',
          entityType: 'OrderRequest',
          entityId: row!.id,
          customerId: order.customerId,
          before: null,
          after: auditSnapshot(row!, ['storeId', 'updatedAt']),
        });
        return row!;
      });
    } catch (error) {
      if (isUniqueViolation(error, 'order_requests_one_open_key')) {
        throw conflict(`The order already has an open ${TYPE_LABEL[args.type] ?? 'request'} request`);
      }
      throw error;
    }
  }

  /**
   * Moves a request along REQUEST_TRANSITIONS. Completing a cancellation cancels the order, or only
   * its units when it names fewer than the order has left (a partial cancellation, O4); completing a return records the units returned, and once all of them are back the order is
   * returned (status changes written to its history).
   */
  async updateStatus(id: string, status: OrderRequestStatus, note?: string | null): Promise<OrderRequestRow> {
    requireId(id);
    const data = parseInput(updateOrderRequestStatusSchema, { status, note });
    return this.db.transaction(async (tx) => {
      const [found] = await tx
        .select({ orderId: orderRequests.orderId })
        .from(orderRequests)
        .where(and(eq(orderRequests.storeId, this.ctx.storeId), eq(orderRequests.id, id)));
      if (!found) throw notFound('Order request', id);
      // The order first, then the request: the same lock order as `create`.
      const order = await this.orders.lock(tx, found.orderId);
      const [current] = await tx
        .select()
        .from(orderRequests)
        .where(and(eq(orderRequests.storeId, this.ctx.storeId), eq(orderRequests.id, id)))
        .for('update');
      if (!current) throw notFound('Order request', id);
      const from = current.status as OrderRequestStatus;
      if (from === data.status) return current;
      if (!REQUEST_TRANSITIONS[from].includes(data.status)) {
        throw badUserInput(`Invalid status: a ${from} request cannot become ${data.status}`, [
          { field: 'status', message: `a ${from} request cannot become ${data.status}` },
        ]);
      }
      const completes = data.status === OrderRequestStatus.COMPLETED;
      const before = completes ? await orderOutcome(tx, this.ctx.storeId, order.id) : null;
      const label = `${TYPE_LABEL[current.type as OrderRequestType]} request completed`;
      // A cancellation of fewer units than the order has left cancels only those; any other cancels
      // the order, and does so before the request is completed: the status change's event then
      // carries the order's partially cancelled part without this request (order-outcome.ts).
      const partialCancellation =
        completes &&
        current.type === OrderRequestType.CANCELLATION &&
        current.units !== null &&
        current.units < order.units - before!.returnedUnits - before!.cancelledUnits;
      if (completes && current.type === OrderRequestType.CANCELLATION && !partialCancellation) {
        await this.orders.changeStatus(tx, order.id, OrderStatus.CANCELLED, label);
      }
      const [row] = await tx
        .update(orderRequests)
        .set({ status: data.status, note: data.note ?? null, updatedAt: new Date() })
        .where(eq(orderRequests.id, id))
        .returning();
      const changed = auditChanges(current, row!);
      await audit.record(tx, this.ctx, {
        action: 'order_request.status',
        entityType: 'OrderRequest',
        entityId: id,
        customerId: order.customerId,
        before: changed.before,
        after: changed.after,
      });
      if (completes && current.type === OrderRequestType.RETURN)
        await this.returnCompleted(tx, order, row!, before!, label);
      if (partialCancellation) await this.cancellationCompleted(tx, order, row!, before!);
      return row!;
    });
  }

  /** A completed partial cancellation, announced with the units and the share of the total it took off. */
  private async cancellationCompleted(
    tx: Tx,
    order: OrderRow,
    request: OrderRequestRow,
    before: OrderOutcome,
  ): Promise<void> {
    const after = await orderOutcome(tx, this.ctx.storeId, order.id);
    await recordEvents(tx, outbox, [
      {
        type: 'order.cancellation_recorded',
        storeId: this.ctx.storeId,
        customerId: order.customerId,
        payload: {
          orderId: order.id,
          number: order.number,
          requestId: request.id,
          orderStatus: order.status,
          units: after.cancelledUnits - before.cancelledUnits,
          orderUnits: order.units,
          currency: order.currency,
          cancelled: { from: cancelledPart(before), to: cancelledPart(after) },
        },
      },
    ]);
  }

  /**
   * A completed return, announced with the units it took back (a return of "the whole order" after
   * partial ones takes back the rest); once every unit is back, the order is RETURNED.
   */
  private async returnCompleted(
    tx: Tx,
    order: OrderRow,
    request: OrderRequestRow,
    before: OrderOutcome,
    note: string,
  ): Promise<void> {
    const after = await orderOutcome(tx, this.ctx.storeId, order.id);
    await recordEvents(tx, outbox, [
      {
        type: 'order.return_recorded',
        storeId: this.ctx.storeId,
        customerId: order.customerId,
        payload: {
          orderId: order.id,
          number: order.number,
          requestId: request.id,
          units: after.returnedUnits - before.returnedUnits,
          orderUnits: order.units,
          returnedUnits: { from: before.returnedUnits, to: after.returnedUnits },
        },
      },
    ]);
    if (after.returnedUnits >= order.units - after.cancelledUnits)
      await this.orders.changeStatus(tx, order.id, OrderStatus.RETURNED, note);
  }
}
