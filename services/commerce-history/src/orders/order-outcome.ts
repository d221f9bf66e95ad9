import { and, eq, inArray, isNotNull, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '@cg/db';
import { orderFeedback, orderRequests, orders } from '../db/schema.ts';

/**
 * What became of an order after intake, as the customer's metrics count it (O4). It is defined
 * once, here, in SQL over `orders`: the events carry the values it gives (consumers never derive
 * them again) and the metrics check (infra/events) compares the projection with the same SQL.
 *
 * Returned units: all of the order's units while its status is RETURNED, however it got there (a
 * completed return of the whole order, or a status the sales platform set); otherwise the units of
 * its completed return requests (one without units is the whole order), at most the order's units.
 * So a partial return followed by the status RETURNED counts the order's units once, not the
 * partial return's units on top.
 *
 * Both expressions are read in a query over `orders` (unaliased), whose row they describe. Its
 * columns are named by hand: drizzle leaves a one-table selection's columns unqualified, which
 * inside the subqueries would name the subqueries' own.
 */
export const returnedUnitsSql: SQL<number> = sql<number>`(case when "orders"."status" = 'returned' then "orders"."units"
  else least("orders"."units", (
    select coalesce(sum(coalesce(r.units, "orders"."units")), 0) from ${orderRequests} r
    where r.store_id = "orders"."store_id" and r.order_id = "orders"."id" and r.type = 'return' and r.status = 'completed'))
  end)::int`;

/** Whether the order has negative feedback (rated NEGATIVE_RATING or lower). */
const negativeFeedbackSql: SQL<boolean> = sql<boolean>`exists (
  select 1 from ${orderFeedback} f where f.store_id = "orders"."store_id" and f.order_id = "orders"."id" and f.negative)`;

export interface OrderOutcome {
  returnedUnits: number;
  negativeFeedback: boolean;
}

/** The outcome of each of a store's orders, in one statement; read inside the transaction of a change. */
export async function orderOutcomes(
  tx: Tx,
  storeId: string,
  orderIds: readonly string[],
): Promise<Map<string, OrderOutcome>> {
  if (orderIds.length === 0) return new Map();
  const rows = await tx
    .select({ id: orders.id, returnedUnits: returnedUnitsSql, negativeFeedback: negativeFeedbackSql })
    .from(orders)
    .where(and(eq(orders.storeId, storeId), inArray(orders.id, [...orderIds])));
  return new Map(
    rows.map((row) => [row.id, { returnedUnits: Number(row.returnedUnits), negativeFeedback: row.negativeFeedback }]),
  );
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
      totalSpent: sql<number>`coalesce(sum(${orders.total}) filter (where ${purchase}), 0)::bigint`,
      units: sql<number>`coalesce(sum(${orders.units}) filter (where ${purchase}), 0)::int`,
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
