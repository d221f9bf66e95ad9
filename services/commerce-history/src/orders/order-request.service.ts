import { and, asc, eq } from 'drizzle-orm';
import { isUniqueViolation, type Tx } from '@cg/db';
import { badUserInput, conflict, notFound, parseInput, requireId, type BaseContext, loadByParent } from '@cg/subgraph';
import { auditChanges, auditSnapshot, recordEvents } from '@cg/events';
import { orderRequests, outbox, type OrderRequestRow, type OrderRow } from '../db/schema.ts';
import { audit } from '../audit-trail.ts';
import { callerIp } from '../caller.ts';
import type { CommerceHistoryDb } from '../context.ts';
import type { OrderService } from './order.service.ts';
import { OrderStatus } from './order.type.ts';
import { OrderRequestStatus, OrderRequestType } from './order-request.type.ts';
import {
  createOrderRequestSchema,
  REQUEST_TRANSITIONS,
  updateOrderRequestStatusSchema,
} from './order-request.inputs.ts';
import { orderOutcome, type OrderOutcome } from './order-outcome.ts';

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

  /** Oldest first. */
  forOrder(orderId: string): Promise<OrderRequestRow[]> {
    return loadByParent(this.ctx, this.db, {
      relation: 'requestsByOrder',
      table: orderRequests,
      parentColumn: orderRequests.orderId,
      parentId: orderId,
      orderBy: [asc(orderRequests.orderId), asc(orderRequests.createdAt), asc(orderRequests.id)],
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
        // Earlier partial returns have taken some units back already.
        const returned =
          data.type === OrderRequestType.RETURN ? (await orderOutcome(tx, this.ctx.storeId, orderId)).returnedUnits : 0;
        const returnable = order.units - returned;
        if (data.units && data.units > returnable) {
          const message =
            returnable === order.units
              ? `must not exceed the order's ${order.units} units`
              : `must not exceed the ${returnable} unit${returnable === 1 ? '' : 's'} not returned yet`;
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
   * Moves a request along REQUEST_TRANSITIONS. Completing a cancellation cancels the order;
   * completing a return records the units returned, and once all of them are back the order is
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
      const completesReturn = data.status === OrderRequestStatus.COMPLETED && current.type === OrderRequestType.RETURN;
      const before = completesReturn ? await orderOutcome(tx, this.ctx.storeId, order.id) : null;
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
      if (data.status === OrderRequestStatus.COMPLETED) {
        const label = `${TYPE_LABEL[current.type as OrderRequestType]} request completed`;
        if (before) await this.returnCompleted(tx, order, row!, before, label);
        else await this.orders.changeStatus(tx, order.id, OrderStatus.CANCELLED, label);
      }
      return row!;
    });
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
    if (after.returnedUnits >= order.units) await this.orders.changeStatus(tx, order.id, OrderStatus.RETURNED, note);
  }
}
