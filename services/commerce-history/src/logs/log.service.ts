import { sql, type SQL } from 'drizzle-orm';
import { connectionByParentQuery, keysetSort, type BaseContext, type ConnectionResult } from '@cg/subgraph';
import { orderRequests, orderStatusChanges, orders, paymentStatusChanges, payments } from '../db/schema.ts';
import type { CommerceHistoryDb } from '../context.ts';
import type { OrderStatus } from '../orders/order.type.ts';
import type { OrderRequestType } from '../orders/order-request.type.ts';
import type { PaymentStatus } from '../payments/payment.type.ts';
import { LogEvent, LogKind, type LogRow } from './log.type.ts';

/** Newest first; the ids (of status changes and requests, all random uuids) break ties. */
const logSort = keysetSort<LogRow>('logs:createdAt:desc', 'desc', [
  [sql`s.created_at`, 'timestamptz', (row) => row.createdAt],
  [sql`s.id`, 'uuid', (row) => row.id],
]);

/**
 * O9: a customer's order and payment log, read from the histories that record it: an order's
 * status changes (the first is its intake) and its requests, and a payment's status changes (the
 * first is its intake). Each event keeps who made it and from which address.
 */
export class LogService {
  constructor(
    private readonly db: CommerceHistoryDb,
    private readonly ctx: BaseContext,
  ) {}

  /** One statement for every customer of the request that asks for the same kind and page. */
  forCustomer(
    customerId: string,
    args: { first?: number | null; after?: string | null; kind?: LogKind | null },
  ): Promise<ConnectionResult<LogRow>> {
    const kinds = args.kind ? [args.kind] : [LogKind.ORDER, LogKind.PAYMENT];
    return connectionByParentQuery(this.ctx, this.db, {
      relation: 'logsByCustomer',
      parentId: customerId,
      source: (parent) =>
        sql.join(
          kinds.flatMap((kind) => this.branches(kind, parent)),
          sql` union all `,
        ),
      sort: logSort,
      filterKey: kinds,
      args,
      mapRow: toLogRow,
    });
  }

  /**
   * The customer's rows of each history of `kind`, in the shape of a log entry; every branch names
   * its columns, since one kind alone is the whole union.
   */
  private branches(kind: LogKind, parent: SQL): SQL[] {
    const store = this.ctx.storeId;
    // A signed-in customer reads only their own log (row-level security says so too).
    const own = this.ctx.principal.kind === 'customer' ? sql` and ${parent} = ${this.ctx.principal.userId}` : sql``;
    const recordedOr = (history: string) =>
      sql`case when ${sql.raw(history)}.from_status is null then ${LogEvent.RECORDED} else ${LogEvent.STATUS_CHANGED} end`;
    if (kind === LogKind.ORDER) {
      const ofCustomer = sql`o.store_id = ${store} and o.customer_id = ${parent}${own}`;
      return [
        sql`select h.id, 'order' as kind, ${recordedOr('h')} as event, h.created_at, o.id as order_id,
            o.number as order_number, null::uuid as payment_id, null::text as transaction_code,
            h.from_status::text as from_status, h.to_status::text as to_status, null::text as request_type,
            null::int as units, h.note, h.changed_by as actor, host(h.ip) as ip
          from ${orders} o join ${orderStatusChanges} h on h.store_id = o.store_id and h.order_id = o.id
          where ${ofCustomer}`,
        sql`select r.id, 'order' as kind, ${LogEvent.REQUESTED} as event, r.created_at, o.id as order_id,
            o.number as order_number, null::uuid as payment_id, null::text as transaction_code,
            null::text as from_status, null::text as to_status, r.type::text as request_type, r.units,
            null::text as note, r.requested_by as actor, host(r.ip) as ip
          from ${orders} o join ${orderRequests} r on r.store_id = o.store_id and r.order_id = o.id
          where ${ofCustomer}`,
      ];
    }
    return [
      sql`select h.id, 'payment' as kind, ${recordedOr('h')} as event, h.created_at, y.order_id,
          o.number as order_number, y.id as payment_id, y.transaction_code, h.from_status::text as from_status,
          h.to_status::text as to_status, null::text as request_type, null::int as units, null::text as note,
          h.changed_by as actor, host(h.ip) as ip
        from ${payments} y
          join ${paymentStatusChanges} h on h.store_id = y.store_id and h.payment_id = y.id
          join ${orders} o on o.store_id = y.store_id and o.id = y.order_id
        where y.store_id = ${store} and y.customer_id = ${parent}${own}`,
    ];
  }
}

function toLogRow(raw: Record<string, unknown>): LogRow {
  const kind = raw.kind as LogKind;
  const text = (value: unknown) => (value === null || value === undefined ? null : String(value));
  return {
    id: String(raw.id),
    kind,
    event: raw.event as LogEvent,
    createdAt: orderStatusChanges.createdAt.mapFromDriverValue(raw.created_at as string) as Date,
    orderId: String(raw.order_id),
    orderNumber: String(raw.order_number),
    paymentId: text(raw.payment_id),
    transactionCode: text(raw.transaction_code),
    fromOrderStatus: kind === LogKind.ORDER ? (text(raw.from_status) as OrderStatus | null) : null,
    toOrderStatus: kind === LogKind.ORDER ? (text(raw.to_status) as OrderStatus | null) : null,
    fromPaymentStatus: kind === LogKind.PAYMENT ? (text(raw.from_status) as PaymentStatus | null) : null,
    toPaymentStatus: kind === LogKind.PAYMENT ? (text(raw.to_status) as PaymentStatus | null) : null,
    requestType: text(raw.request_type) as OrderRequestType | null,
    units: raw.units === null || raw.units === undefined ? null : Number(raw.units),
    note: text(raw.note),
    actor: text(raw.actor),
    ip: text(raw.ip),
  };
}
