import { and, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import type { BaseContext } from '@cg/subgraph';
import type { CancelledPart } from '@cg/events';
import { orderFeedback, orderRequests, orders } from '../db/schema.ts';

/**
 * What became of an order after intake, as the customer's metrics count it (O4). It is defined
 * once, here, in SQL over `orders`: the events carry the values it gives (consumers never derive
 * them again) and the metrics check (infra/events) compares the projection with the same SQL.
 *
 * Cancelled units: the units of the order's completed cancellation requests that name units, at
 * most the order's units. One that names fewer units than the order has left is a partial
 * cancellation (the order stays, less those units); any other cancels the order, and does so
 * before its request is completed (order-request.service.ts), so the status change's event
 * carries the cancelled part without it: the status CANCELLED alone takes the order out of the
 * purchases. Once completed its units count here too, which matters only if the order is later
 * moved out of CANCELLED by hand: it then counts less every cancelled unit (the projection and
 * the check agree, as both read this). The cancelled amount is the cancelled units' share of the
 * order's total, pro rata by units and rounded down: intake records no amount per unit across
 * lines, shipping and tax, and pro rata keeps successive partial cancellations additive (each
 * moves the figure from `floor(total × before ÷ units)` to `floor(total × after ÷ units)`).
 *
 * Returned units: the units left after cancellations while its status is RETURNED, however it got
 * there (a completed return of the whole order, or a status the sales platform set); otherwise the
 * units of its completed return requests (one without units is the whole order), at most the units
 * left. So a partial return followed by the status RETURNED counts the order's units once, not the
 * partial return's units on top.
 *
 * The expressions are read in a query over `orders` (unaliased), whose row they describe. Its
 * columns are named by hand: drizzle leaves a one-table selection's columns unqualified, which
 * inside the subqueries would name the subqueries' own.
 */
export const cancelledUnitsSql: SQL<number> = sql<number>`(least("orders"."units", (
    select coalesce(sum(r.units), 0) from ${orderRequests} r
    where r.store_id = "orders"."store_id" and r.order_id = "orders"."id" and r.type = 'cancellation'
      and r.status = 'completed' and r.units is not null)))::int`;

const cancelledAmountSql: SQL<number> = sql<number>`(("orders"."total" * ${cancelledUnitsSql}) / greatest("orders"."units", 1))::bigint`;

export const returnedUnitsSql: SQL<number> = sql<number>`(case when "orders"."status" = 'returned' then "orders"."units" - ${cancelledUnitsSql}
  else least("orders"."units" - ${cancelledUnitsSql}, (
    select coalesce(sum(coalesce(r.units, "orders"."units")), 0) from ${orderRequests} r
    where r.store_id = "orders"."store_id" and r.order_id = "orders"."id" and r.type = 'return' and r.status = 'completed'))
  end)::int`;

/** Whether the order has negative feedback (rated NEGATIVE_RATING or lower). */
const negativeFeedbackSql: SQL<boolean> = sql<boolean>`exists (
  select 1 from ${orderFeedback} f where f.store_id = "orders"."store_id" and f.order_id = "orders"."id" and f.negative)`;

export interface OrderOutcome {
  returnedUnits: number;
  negativeFeedback: boolean;
  /** Units of completed partial cancellations, and their share of the total (above). */
  cancelledUnits: number;
  cancelledAmount: number;
}

const outcomeSelection = {
  id: orders.id,
  returnedUnits: returnedUnitsSql,
  negativeFeedback: negativeFeedbackSql,
  cancelledUnits: cancelledUnitsSql,
  cancelledAmount: cancelledAmountSql,
};

function toOutcome(row: {
  returnedUnits: number;
  negativeFeedback: boolean;
  cancelledUnits: number;
  cancelledAmount: number;
}): OrderOutcome {
  return {
    returnedUnits: Number(row.returnedUnits),
    negativeFeedback: row.negativeFeedback,
    cancelledUnits: Number(row.cancelledUnits),
    cancelledAmount: Number(row.cancelledAmount),
  };
}

/**
 * The outcome of an order for a read (Order.returnedUnits, cancelledUnits, profitAndLoss): one
 * statement for every order of the request.
 */
export function loadOrderOutcome(ctx: BaseContext, db: Tx, orderId: string): Promise<OrderOutcome | null> {
  return ctx.loaders
    .get<string, OrderOutcome | null>('outcomeByOrder', null, async (ids) => {
      const found = await orderOutcomes(db, ctx.storeId, ids);
      return ids.map((id) => found.get(id) ?? null);
    })
    .load(orderId);
}

/** The outcome of each of a store's orders, in one statement; read inside the transaction of a change. */
export async function orderOutcomes(
  tx: Tx,
  storeId: string,
  orderIds: readonly string[],
): Promise<Map<string, OrderOutcome>> {
  if (orderIds.length === 0) return new Map();
  const rows = await tx
    .select(outcomeSelection)
    .from(orders)
    .where(and(eq(orders.storeId, storeId), inArray(orders.id, [...orderIds])));
  return new Map(rows.map((row) => [row.id, toOutcome(row)]));
}

/** The order's partially cancelled part, as events carry it. */
export function cancelledPart(outcome: OrderOutcome): CancelledPart {
  return { units: outcome.cancelledUnits, amount: outcome.cancelledAmount };
}

export async function orderOutcome(tx: Tx, storeId: string, orderId: string): Promise<OrderOutcome> {
  const outcome = (await orderOutcomes(tx, storeId, [orderId])).get(orderId);
  if (!outcome) throw new Error(`Order ${orderId} is not in store ${storeId}`);
  return outcome;
}

/**
 * Per customer, what their orders add up to, for the check of the customer subgraph's metrics
 * projection (infra/events): purchases are the orders whose status is not in `notPurchases` (the
 * projection's own rule), and the last order date is the latest of them; returned units and
 * negative feedback are as defined above.
 */
export function orderFiguresByCustomer(db: Tx, notPurchases: readonly string[]) {
  const purchase = sql`${orders.status} <> all(${`{${notPurchases.join(',')}}`}::commerce_history.order_status[])`;
  return db
    .select({
      storeId: sql<string>`${orders.storeId}::text`,
      customerId: sql<string>`${orders.customerId}::text`,
      orderCount: sql<number>`(count(*) filter (where ${purchase}))::int`,
      // Less what partial cancellations took back (above), as the projection subtracts it.
      totalSpent: sql<number>`coalesce(sum(${orders.total} - ${cancelledAmountSql}) filter (where ${purchase}), 0)::bigint`,
      units: sql<number>`coalesce(sum(${orders.units} - ${cancelledUnitsSql}) filter (where ${purchase}), 0)::int`,
      returnedUnits: sql<number>`coalesce(sum(${returnedUnitsSql}), 0)::int`,
      negativeFeedback: sql<number>`(count(*) filter (where ${negativeFeedbackSql}))::int`,
      // O8: the coupons' part of the discount; the whole of it for orders from before coupons, as the projection does.
      discount: sql<number>`coalesce(sum(coalesce(${orders.couponDiscount}, ${orders.discount})) filter (where ${purchase}), 0)::bigint`,
      lastOrderAt: sql<string | null>`max(${orders.createdAt}) filter (where ${purchase})`,
    })
    .from(orders)
    .where(isNotNull(orders.customerId))
    .groupBy(orders.storeId, orders.customerId);
}
